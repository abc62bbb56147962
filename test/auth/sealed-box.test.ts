import { createDecipheriv, hkdfSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sealedBox, SealedBoxError } from '../../src/auth/sealed-box.js'
import { Secret } from '../../src/config/index.js'

const KEY = new Secret('a-secret-key-for-the-sealed-box-tests-0123456789')
const OTHER_KEY = new Secret('another-secret-key-for-the-sealed-box-tests-98765')

describe('the sealed box', () => {
  it('opens what it sealed, and the sealed value shows nothing of it', () => {
    const box = sealedBox(KEY, 'test purpose')
    const plaintext = 'https://blog.example/reset-password#token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
    const sealed = box.seal(plaintext, 'row 1')
    expect(box.open(sealed, 'row 1').toString('utf8')).toBe(plaintext)
    expect(sealed.toString('latin1')).not.toContain('token=')
    expect(sealed.toString('latin1')).not.toContain('abcdefghij')
    // Sealing twice gives two values (a fresh IV each time).
    expect(box.seal(plaintext, 'row 1').equals(sealed)).toBe(false)
  })

  it('is version 1, a 12-byte IV, the AES-256-GCM ciphertext and its 16-byte tag, under an HKDF-SHA-256 key of the purpose', () => {
    const sealed = sealedBox(KEY, 'test purpose').seal('hello', 'row 1')
    expect(sealed).toHaveLength(1 + 12 + 5 + 16)
    expect(sealed[0]).toBe(1)
    const key = Buffer.from(hkdfSync('sha256', KEY.reveal(), Buffer.alloc(0), 'test purpose', 32))
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13))
    decipher.setAAD(Buffer.from('row 1'))
    decipher.setAuthTag(sealed.subarray(sealed.length - 16))
    expect(Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]).toString()).toBe('hello')
  })

  it('refuses another key, another purpose, another context, and any altered byte', () => {
    const box = sealedBox(KEY, 'test purpose')
    const sealed = box.seal('hello', 'row 1')
    const refusals = [
      () => sealedBox(OTHER_KEY, 'test purpose').open(sealed, 'row 1'),
      () => sealedBox(KEY, 'another purpose').open(sealed, 'row 1'),
      () => box.open(sealed, 'row 2'),
      () => box.open(sealed.subarray(0, 20), 'row 1'),
      () => box.open(Buffer.concat([Buffer.of(2), sealed.subarray(1)]), 'row 1'),
      ...Array.from({ length: sealed.length - 1 }, (_, i) => () => {
        const altered = Buffer.from(sealed)
        altered[i + 1]! ^= 0x01
        return box.open(altered, 'row 1')
      }),
    ]
    for (const refusal of refusals) expect(refusal).toThrow(SealedBoxError)
    expect(box.open(sealed, 'row 1').toString()).toBe('hello')
  })
})
