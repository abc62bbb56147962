import type { RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import { createSharedCounter } from '../db/shared-counter.js'
import type { Orm } from '../db/orm.js'

export interface LoginThrottleLimits {
  maxFailuresPerEmail: number
  maxFailuresPerClient: number
  windowSeconds: number
}

/**
 * Counts failed logins per email and per client address in windows that open at the first
 * failure. The counts live in the database, so every instance of the service sees the same.
 */
export class LoginThrottle {
  readonly #perEmail: RateLimiterStoreAbstract
  readonly #perClient: RateLimiterStoreAbstract

  constructor(orm: Orm, limits: LoginThrottleLimits) {
    const durationSeconds = limits.windowSeconds
    this.#perEmail = createSharedCounter(orm, { keyPrefix: 'login_email', points: limits.maxFailuresPerEmail, durationSeconds })
    this.#perClient = createSharedCounter(orm, { keyPrefix: 'login_client', points: limits.maxFailuresPerClient, durationSeconds })
  }

  /** Seconds until the email or the client may try again, or 0 when a try is allowed now. */
  async retryAfterSeconds(email: string, client: string): Promise<number> {
    const waits = await Promise.all([wait(this.#perEmail, email), wait(this.#perClient, client)])
    return Math.max(...waits)
  }

  async recordFailure(email: string, client: string): Promise<void> {
    await Promise.all([this.#perEmail.penalty(email), this.#perClient.penalty(client)])
  }

  async recordSuccess(email: string): Promise<void> {
    await this.#perEmail.delete(email)
  }
}

async function wait(counter: RateLimiterStoreAbstract, key: string): Promise<number> {
  const state = await counter.get(key)
  if (!state || state.consumedPoints < counter.points) return 0
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000))
}
