import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { createLimiter } from './limiter.js'

// argon2's defaults, spelled out because needsRehash compares against them: Argon2id, 64 MiB,
// t=3, p=4: well above OWASP's minimum for Argon2id, and the same as the FastAPI service this
// API is compatible with, so stored hashes move between the two.
export const ARGON2_PARAMS = { memoryCost: 65536, timeCost: 3, parallelism: 4 } as const
const OPTIONS = { type: argon2.argon2id, ...ARGON2_PARAMS } as const

// Argon2 runs on libuv's thread pool, so the event loop keeps serving while a hash runs. But the
// pool has four threads and SQLite's queries run there too: four logins at once would make every
// reader wait behind half-second hashes. So at most two hashes run at once and logins queue here
// (test/bench measures it: posts p99 beside a login storm, and login throughput).
const MAX_CONCURRENT_HASHES = 2
const limitHashing = createLimiter(MAX_CONCURRENT_HASHES)

export function hashPassword(password: string): Promise<string> {
  return limitHashing(() => argon2.hash(password, OPTIONS))
}

/** False for a wrong password and for a stored value that is not an Argon2 hash at all. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await limitHashing(() => argon2.verify(hash, password))
  } catch {
    return false
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_PARAMS)
}

let dummyHash: Promise<string> | undefined

/**
 * Spends one verification against a fixed hash made with the current parameters, so a login
 * for an email with no account costs as much as one with a wrong password.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString('hex'))
  await verifyPassword(await dummyHash, password)
  return false
}
