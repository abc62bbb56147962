import { createHmac, hkdfSync, randomInt } from 'node:crypto'
import type { Secret } from '../config/index.js'

/**
 * One-time recovery codes: RECOVERY_CODE_COUNT per set, each `xxxxx-xxxxx` of ten characters from
 * an alphabet without look-alikes (no 0/O, 1/I/L), about 49.5 random bits. They are stored as an
 * HMAC-SHA-256 under a key of their own, derived from SECRET_KEY with HKDF, so a copy of the
 * database alone cannot test guesses against them. Typed back in any case, with or without the dash.
 */
export const RECOVERY_CODE_COUNT = 10
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const HALF = 5
const HMAC_PURPOSE = 'blog recovery codes v1'

export function newRecoveryCodes(): string[] {
  const half = () => Array.from({ length: HALF }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${half()}-${half()}`)
}

/** Hashes recovery codes for storage and lookup; a text that cannot be a code hashes to undefined. */
export type RecoveryCodeHasher = (code: string) => string | undefined

export function recoveryCodeHasher(secretKey: Secret): RecoveryCodeHasher {
  const key = Buffer.from(hkdfSync('sha256', secretKey.reveal(), Buffer.alloc(0), HMAC_PURPOSE, 32))
  return (code) => {
    const normalised = code.replace(/[\s-]/g, '').toUpperCase()
    if (normalised.length !== 2 * HALF || [...normalised].some((char) => !ALPHABET.includes(char))) return undefined
    return createHmac('sha256', key).update(normalised).digest('hex')
  }
}
