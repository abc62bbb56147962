import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { Secret } from '../config/index.js'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + IV_BYTES

/** A sealed value that this key cannot open: another SECRET_KEY sealed it, or it was altered. */
export class SealedBoxError extends Error {
  override name = 'SealedBoxError'
}

/**
 * Encrypts small values for storage, with AES-256-GCM (node:crypto). Each purpose gets a key of
 * its own, derived from SECRET_KEY with HKDF-SHA-256 (the purpose is HKDF's `info`), so a value
 * sealed for one purpose never opens for another.
 *
 * A sealed value is `version (1 byte, 1) | IV (12 random bytes) | ciphertext | GCM tag (16 bytes)`.
 * `context` is authenticated but not stored (GCM's additional data): a value opens only with the
 * context it was sealed with (the row it belongs to, say), so it cannot be moved to another one.
 */
export interface SealedBox {
  seal(plaintext: string | Uint8Array, context: string): Buffer
  /** Throws SealedBoxError when the value was sealed with another key or context, or altered. */
  open(sealed: Uint8Array, context: string): Buffer
}

export function sealedBox(secretKey: Secret, purpose: string): SealedBox {
  const key = Buffer.from(hkdfSync('sha256', secretKey.reveal(), Buffer.alloc(0), purpose, 32))
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()])
      return Buffer.concat([Buffer.of(VERSION), iv, ciphertext, cipher.getAuthTag()])
    },
    open(sealed, context) {
      const box = Buffer.from(sealed)
      if (box.length < HEADER_BYTES + TAG_BYTES || box[0] !== VERSION) throw new SealedBoxError('Not a sealed value')
      const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(box.subarray(box.length - TAG_BYTES))
      try {
        return Buffer.concat([decipher.update(box.subarray(HEADER_BYTES, box.length - TAG_BYTES)), decipher.final()])
      } catch {
        throw new SealedBoxError('The sealed value does not open with this key and context (another SECRET_KEY, or altered)')
      }
    },
  }
}
