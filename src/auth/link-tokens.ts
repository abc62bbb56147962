import { createHash, randomBytes } from 'node:crypto'

// The tokens of links sent by mail (password reset, email verification).

/** What the database keeps of a link's token: its SHA-256, hex. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new link token (32 random bytes, base64url) for the mail, and its hash for the database. */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashLinkToken(token) }
}
