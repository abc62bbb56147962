import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import type { AttemptLimitSettings } from '../config/index.js'
import type { Orm } from '../db/orm.js'
import { createSharedCounter, deleteCountsEndingWith } from '../db/shared-counter.js'
import { ApiError } from '../http/api-error.js'
import { clientKey } from '../http/client-address.js'

export const TOO_MANY_LOGINS = 'Too many login attempts, try again later'
export const TOO_MANY_PASSWORD_CHANGES = 'Too many wrong passwords, try again later'
export const TOO_MANY_REGISTRATIONS = 'Too many registrations from this address, try again later'
export const TOO_MANY_RESET_REQUESTS = 'Too many password reset requests, try again later'
export const TOO_MANY_RESET_ATTEMPTS = 'Too many password reset attempts, try again later'

/** An attempt's place in its counts, taken before any hashing. */
export interface Reservation {
  /** The attempt succeeded: give back what it took and clear its consecutive failures. */
  succeeded(): Promise<void>
  /** No password was checked after all (the hashing queue was full): give everything back. */
  cancel(): Promise<void>
}

interface Slot {
  counter: RateLimiterStoreAbstract
  key: string
  /** What success does to this count: clear it (consecutive failures), give back one, or keep it. */
  onSuccess: 'clear' | 'give back' | 'keep'
}

const LOGIN_PAIR = 'login_pair'

const giveBack = (slots: Slot[]) => Promise.all(slots.map((slot) => slot.counter.reward(slot.key))).then(() => {})

/**
 * Takes one point from every slot at once, atomically in the database, so a burst of parallel
 * attempts gets exactly the allowed number of places and the rest a 429 before any Argon2 work.
 * A refused attempt gives back what it took, so only attempts that were really made count.
 */
async function reserve(slots: Slot[], detail: string): Promise<Reservation> {
  const results = await Promise.allSettled(slots.map((slot) => slot.counter.consume(slot.key)))
  const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))
  if (refusals.length > 0) {
    // A store that failed (the database is down) is not a limit: let it answer 503.
    const failure = refusals.find((reason) => !(reason instanceof RateLimiterRes))
    if (failure) throw failure
    await giveBack(slots)
    const waitMs = Math.max(...refusals.map((reason) => (reason as RateLimiterRes).msBeforeNext))
    throw new ApiError(429, detail, { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) })
  }
  const settle = async (slot: Slot) => {
    if (slot.onSuccess === 'clear') await slot.counter.delete(slot.key)
    else if (slot.onSuccess === 'give back') await slot.counter.reward(slot.key)
  }
  return {
    succeeded: () => Promise.all(slots.map(settle)).then(() => {}),
    cancel: () => giveBack(slots),
  }
}

/**
 * Runs the attempt a reservation was taken for. When it ends without a verdict for the client
 * (the hashing queue was full, the database failed), its places are given back: only attempts
 * that were really judged count. A verdict (a 4xx) keeps them.
 */
export async function attempt<T>(reservation: Reservation, task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (error) {
    const verdict = error instanceof ApiError && error.status < 500
    if (!verdict) await reservation.cancel().catch(() => {})
    throw error
  }
}

/**
 * How many password guesses, registrations and password resets are allowed, after the established recipe for
 * login protection: consecutive failures per (email, client address) pair stop one guesser
 * quickly without locking the owner out from anywhere else; a count per client address stops one
 * address guessing across many accounts; a much higher count per email stops guessing spread
 * over many addresses. The counts live in the database, shared by every instance. Every method
 * takes the client's address and counts it by its clientKey: an IPv6 client by its /64.
 */
export class AttemptLimits {
  readonly #loginPair: RateLimiterStoreAbstract
  readonly #guessesByClient: RateLimiterStoreAbstract
  readonly #loginEmail: RateLimiterStoreAbstract
  readonly #passwordChangeUser: RateLimiterStoreAbstract
  readonly #registrationClient: RateLimiterStoreAbstract
  readonly #resetEmail: RateLimiterStoreAbstract
  readonly #resetClient: RateLimiterStoreAbstract

  constructor(
    private readonly orm: Orm,
    settings: AttemptLimitSettings,
  ) {
    const guessWindow = settings.guessWindowMinutes * 60
    const counter = (keyPrefix: string, points: number, durationSeconds = guessWindow) =>
      createSharedCounter(orm, { keyPrefix, points, durationSeconds })
    this.#loginPair = counter(LOGIN_PAIR, settings.loginFailuresPerEmailAndClient)
    this.#guessesByClient = counter('guess_client', settings.loginFailuresPerClient)
    this.#loginEmail = counter('login_email', settings.loginFailuresPerEmail)
    this.#passwordChangeUser = counter('password_change_user', settings.passwordChangeFailuresPerUser)
    this.#registrationClient = counter('register_client', settings.registrationsPerClient, settings.registrationWindowMinutes * 60)
    const resetWindow = settings.resetWindowMinutes * 60
    this.#resetEmail = counter('reset_email', settings.resetRequestsPerEmail, resetWindow)
    this.#resetClient = counter('reset_client', settings.resetAttemptsPerClient, resetWindow)
  }

  reserveLogin(email: string, client: string): Promise<Reservation> {
    const key = clientKey(client)
    return reserve(
      [
        { counter: this.#loginPair, key: `${key} ${email}`, onSuccess: 'clear' },
        { counter: this.#guessesByClient, key, onSuccess: 'give back' },
        { counter: this.#loginEmail, key: email, onSuccess: 'give back' },
      ],
      TOO_MANY_LOGINS,
    )
  }

  /** A wrong current password counts per account and, with failed logins, per client address. */
  reservePasswordChange(userId: number, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#passwordChangeUser, key: String(userId), onSuccess: 'clear' },
        { counter: this.#guessesByClient, key: clientKey(client), onSuccess: 'give back' },
      ],
      TOO_MANY_PASSWORD_CHANGES,
    )
  }

  /** Every registration counts, made or refused; only one the hashing queue turned away is given back. */
  reserveRegistration(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#registrationClient, key: clientKey(client), onSuccess: 'keep' }], TOO_MANY_REGISTRATIONS)
  }

  /**
   * Every reset link asked for counts, per email (so nobody floods one inbox) and per client
   * address; whether the email has an account makes no difference to either.
   */
  reserveResetRequest(email: string, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#resetEmail, key: email, onSuccess: 'keep' },
        { counter: this.#resetClient, key: clientKey(client), onSuccess: 'keep' },
      ],
      TOO_MANY_RESET_REQUESTS,
    )
  }

  /** A wrong reset token counts against the client address's reset limit; a right one gives its place back. */
  reservePasswordReset(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#resetClient, key: clientKey(client), onSuccess: 'give back' }], TOO_MANY_RESET_ATTEMPTS)
  }

  /** Forgets the failed logins for an email, from every address: its owner has just proven who they are. */
  async clearLoginFailures(email: string): Promise<void> {
    await this.#loginEmail.delete(email)
    await deleteCountsEndingWith(this.orm, LOGIN_PAIR, ` ${email}`)
  }
}
