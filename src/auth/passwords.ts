import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { clientKey } from '../http/client-address.js'
import { AppError } from '../http/errors.js'
import { createFairQueue, QueueFullError, type FairQueue } from '../lib/fair-queue.js'
import { CONCURRENT_HASHES } from '../lib/thread-budget.js'

// argon2's defaults, spelled out because needsRehash compares against them: Argon2id, 64 MiB,
// t=3, p=4: well above OWASP's minimum for Argon2id, and the same as the FastAPI service this
// API is compatible with, so stored hashes move between the two.
export const ARGON2_PARAMS = { memoryCost: 65536, timeCost: 3, parallelism: 4 } as const
const OPTIONS = { type: argon2.argon2id, ...ARGON2_PARAMS } as const

/** The hashing queue had no place: the client may retry in a second. Not a verdict on the attempt. */
export class HashingBusyError extends AppError {
  constructor() {
    super('hashing_busy')
  }
}

export interface HashingQueueLimits {
  /** Hashes waiting for a turn, from every client together. */
  maxWaiting: number
  /** Places (hashing or waiting) one client address (an IPv6 /64: see clientKey) may hold. */
  maxPerClient: number
}

let dummyHash: Promise<string> | undefined

/**
 * Hashes and verifies passwords in turns: at most two at once, the rest in a bounded, fair
 * queue, so a flood of logins from one address delays another address's login by a few hash
 * times at most; past the queue's bounds the caller gets a 503 at once instead of waiting.
 */
export class PasswordHasher {
  readonly #queue: FairQueue

  constructor(limits: HashingQueueLimits) {
    this.#queue = createFairQueue({ concurrency: CONCURRENT_HASHES, ...limits }, 'hashing')
  }

  async #inTurn<T>(client: string, task: () => Promise<T>): Promise<T> {
    try {
      return await this.#queue.run(clientKey(client), task)
    } catch (error) {
      throw error instanceof QueueFullError ? new HashingBusyError() : error
    }
  }

  hash(password: string, client: string): Promise<string> {
    return this.#inTurn(client, () => argon2.hash(password, OPTIONS))
  }

  /** False for a wrong password and for a stored value that is not an Argon2 hash at all. */
  verify(hash: string, password: string, client: string): Promise<boolean> {
    return this.#inTurn(client, () => argon2.verify(hash, password).catch(() => false))
  }

  /**
   * Spends one verification against a fixed hash made with the current parameters, so a login
   * for an email with no account costs as much as one with a wrong password.
   */
  async verifyDummy(password: string, client: string): Promise<false> {
    dummyHash ??= argon2.hash(randomBytes(32).toString('hex'), OPTIONS)
    await this.verify(await dummyHash, password, client)
    return false
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_PARAMS)
}
