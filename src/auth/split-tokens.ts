import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A bearer token made of two parts, `<selector>.<verifier>` (refresh tokens, MFA tokens): 128
 * random bits that find its row, then 256 that prove it. The database keeps the selector and the
 * verifier's SHA-256 only, and the verifier is compared in constant time, so neither a copy of
 * the database nor the timing of a lookup gives a token away.
 */
const SPLIT_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

export interface MintedSplitToken {
  /** Shown to the client once. */
  token: string
  selector: string
  verifierHash: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export function mintSplitToken(): MintedSplitToken {
  const selector = randomBytes(16).toString('base64url')
  const verifier = randomBytes(32).toString('base64url')
  return { token: `${selector}.${verifier}`, selector, verifierHash: sha256(verifier) }
}

/** The parts of a token in the form the service issues, or undefined for anything else. */
export function parseSplitToken(token: string): { selector: string; verifier: string } | undefined {
  const match = SPLIT_TOKEN.exec(token)
  return match ? { selector: match[1]!, verifier: match[2]! } : undefined
}

export function verifierMatches(verifier: string, verifierHash: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(verifier), 'hex'), Buffer.from(verifierHash, 'hex'))
}
