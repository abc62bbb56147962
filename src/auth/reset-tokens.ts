import { createHash, randomBytes } from 'node:crypto'

/** What the database keeps of a reset token: its SHA-256, hex. */
export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new reset token (32 random bytes, base64url) for the mail, and its hash for the database. */
export function newResetToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashResetToken(token) }
}
