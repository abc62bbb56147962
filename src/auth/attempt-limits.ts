import { createHash } from 'node:crypto'
import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import type { AttemptLimitSettings } from '../config/index.js'
import type { Orm } from '../db/orm.js'
import { createSharedCounter, deleteCountsEndingWith } from '../db/shared-counter.js'
import { AppError, type ErrorCode } from '../http/errors.js'
import { clientKey } from '../http/client-address.js'
import { limitRefusals } from '../metrics/registry.js'
import { HashingBusyError } from './passwords.js'

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

// A count is stored under `<prefix>:<key>` in a varchar(255) column (on PostgreSQL), and a login
// username can grow far past that under normalisation: 120 x U+FDFA are 2,160 characters after
// NFKC. So a part of a key longer than this bound is stored as its SHA-256, in a form longer
// than the bound, which no part kept as it is can equal.
const KEY_PART_MAX = 64
const keyPart = (text: string) => (text.length <= KEY_PART_MAX ? text : `sha256:${createHash('sha256').update(text).digest('hex')}`)

/** The key of a count: its parts, each bounded, with a space between (the longest fits with room to spare). */
const countKey = (...parts: string[]) => parts.map(keyPart).join(' ')

const giveBack = (slots: Slot[]) => Promise.all(slots.map((slot) => slot.counter.reward(slot.key))).then(() => {})

/**
 * Takes one point from every slot at once, atomically in the database, so a burst of parallel
 * attempts gets exactly the allowed number of places and the rest a 429 before any Argon2 work.
 * A refused attempt gives back what it took, so only attempts that were really made count.
 */
async function reserve(slots: Slot[], refusal: ErrorCode): Promise<Reservation> {
  const results = await Promise.allSettled(slots.map((slot) => slot.counter.consume(slot.key)))
  // A store that failed (the database is down) is not a limit: let it answer 503. The other counts
  // took their point (a refused one too), so they give it back first, as far as the store still
  // answers; a count that failed took nothing.
  const failed = (result: PromiseSettledResult<unknown>) => result.status === 'rejected' && !(result.reason instanceof RateLimiterRes)
  const failure = results.find(failed)
  if (failure) {
    await Promise.allSettled(slots.filter((_, i) => !failed(results[i]!)).map((slot) => slot.counter.reward(slot.key)))
    throw (failure as PromiseRejectedResult).reason
  }
  const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as RateLimiterRes] : []))
  if (refusals.length > 0) {
    results.forEach((result, i) => {
      if (result.status === 'rejected') limitRefusals.inc({ limit: slots[i]!.counter.keyPrefix })
    })
    await giveBack(slots)
    const waitMs = Math.max(...refusals.map((refused) => refused.msBeforeNext))
    throw new AppError(refusal, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) })
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
 * that were really judged count. A verdict (a refusal) keeps them.
 */
export async function attempt<T>(reservation: Reservation, task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (error) {
    const verdict = error instanceof AppError && !(error instanceof HashingBusyError)
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
  readonly #secondFactorUser: RateLimiterStoreAbstract
  readonly #passkeyOptionsClient: RateLimiterStoreAbstract
  readonly #registrationClient: RateLimiterStoreAbstract
  readonly #resetPair: RateLimiterStoreAbstract
  readonly #resetEmail: RateLimiterStoreAbstract
  readonly #resetClient: RateLimiterStoreAbstract
  readonly #emailChangeUser: RateLimiterStoreAbstract
  readonly #emailChangeClient: RateLimiterStoreAbstract
  readonly #verificationMailUser: RateLimiterStoreAbstract
  readonly #verificationClient: RateLimiterStoreAbstract

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
    this.#secondFactorUser = counter('second_factor_user', settings.secondFactorFailuresPerUser)
    this.#passkeyOptionsClient = counter('passkey_options_client', settings.passkeyOptionsPerClient)
    this.#registrationClient = counter('register_client', settings.registrationsPerClient, settings.registrationWindowMinutes * 60)
    const resetWindow = settings.resetWindowMinutes * 60
    this.#resetPair = counter('reset_pair', settings.resetRequestsPerEmailAndClient, resetWindow)
    this.#resetEmail = counter('reset_email', settings.resetRequestsPerEmail, resetWindow)
    this.#resetClient = counter('reset_client', settings.resetAttemptsPerClient, resetWindow)
    const emailChangeWindow = settings.emailChangeWindowMinutes * 60
    this.#emailChangeUser = counter('email_change_user', settings.emailChangesPerUser, emailChangeWindow)
    this.#emailChangeClient = counter('email_change_client', settings.emailChangesPerClient, emailChangeWindow)
    const verificationWindow = settings.verificationWindowMinutes * 60
    this.#verificationMailUser = counter('verify_mail_user', settings.verificationMailsPerUser, verificationWindow)
    this.#verificationClient = counter('verify_client', settings.verificationAttemptsPerClient, verificationWindow)
  }

  reserveLogin(email: string, client: string): Promise<Reservation> {
    const key = clientKey(client)
    return reserve(
      [
        { counter: this.#loginPair, key: countKey(key, email), onSuccess: 'clear' },
        { counter: this.#guessesByClient, key: countKey(key), onSuccess: 'give back' },
        { counter: this.#loginEmail, key: countKey(email), onSuccess: 'give back' },
      ],
      'too_many_logins',
    )
  }

  /** A wrong current password counts per account and, with failed logins, per client address. */
  reservePasswordChange(userId: number, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#passwordChangeUser, key: String(userId), onSuccess: 'clear' },
        { counter: this.#guessesByClient, key: countKey(clientKey(client)), onSuccess: 'give back' },
      ],
      'too_many_password_changes',
    )
  }

  /**
   * A wrong second-factor code (at sign-in, or to confirm, disable or renew two-factor) counts per
   * account, from anywhere, and, with failed logins, per client address; a right one clears the
   * account's count.
   */
  reserveSecondFactor(userId: number, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#secondFactorUser, key: String(userId), onSuccess: 'clear' },
        { counter: this.#guessesByClient, key: countKey(clientKey(client)), onSuccess: 'give back' },
      ],
      'too_many_codes',
    )
  }

  /** A refresh token that does not work counts with the client address's failed logins, so none is guessed at speed. */
  reserveRefresh(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#guessesByClient, key: countKey(clientKey(client)), onSuccess: 'give back' }], 'too_many_logins')
  }

  /** A passkey response that does not verify (to sign in or to add one) counts with the client address's failed logins. */
  reservePasskeyVerification(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#guessesByClient, key: countKey(clientKey(client)), onSuccess: 'give back' }], 'too_many_logins')
  }

  /**
   * Every passkey sign-in's options count, used or not: each stores a challenge, and nobody needs
   * to be signed in to ask, so one address cannot fill the table.
   */
  reservePasskeyOptions(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#passkeyOptionsClient, key: countKey(clientKey(client)), onSuccess: 'keep' }], 'too_many_passkey_requests')
  }

  /** Every registration counts, made or refused; only one the hashing queue turned away is given back. */
  reserveRegistration(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#registrationClient, key: countKey(clientKey(client)), onSuccess: 'keep' }], 'too_many_registrations')
  }

  /**
   * Every reset link asked for counts, per email and client address pair, per client address, and
   * per email at a higher ceiling (so nobody floods one inbox); as with logins, an address that
   * spends its pair's count does not stop the owner asking from another. Whether the email has
   * an account makes no difference to any of them.
   */
  reserveResetRequest(email: string, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#resetPair, key: countKey(clientKey(client), email), onSuccess: 'keep' },
        { counter: this.#resetEmail, key: countKey(email), onSuccess: 'keep' },
        { counter: this.#resetClient, key: countKey(clientKey(client)), onSuccess: 'keep' },
      ],
      'too_many_reset_requests',
    )
  }

  /** A wrong reset token counts against the client address's reset limit; a right one gives its place back. */
  reservePasswordReset(client: string): Promise<Reservation> {
    return reserve([{ counter: this.#resetClient, key: countKey(clientKey(client)), onSuccess: 'give back' }], 'too_many_reset_attempts')
  }

  /**
   * Every new email tried counts, per account and per client address, whether it was free or
   * taken: the refused duplicate is what someone probing for registered addresses asks for. The
   * caller gives the places back when no email was tried after all (a wrong password).
   */
  reserveEmailChange(userId: number, client: string): Promise<Reservation> {
    return reserve(
      [
        { counter: this.#emailChangeUser, key: String(userId), onSuccess: 'keep' },
        { counter: this.#emailChangeClient, key: countKey(clientKey(client)), onSuccess: 'keep' },
      ],
      'too_many_email_changes',
    )
  }

  /** Every verification link asked for again counts per account; the one sent at sign-up or on an email change does not. */
  reserveVerificationMail(userId: number): Promise<Reservation> {
    return reserve([{ counter: this.#verificationMailUser, key: String(userId), onSuccess: 'keep' }], 'too_many_verification_emails')
  }

  /** A wrong verification token counts against the client address's limit; a right one gives its place back. */
  reserveEmailVerification(client: string): Promise<Reservation> {
    return reserve(
      [{ counter: this.#verificationClient, key: countKey(clientKey(client)), onSuccess: 'give back' }],
      'too_many_verification_attempts',
    )
  }

  /** Forgets the failed logins for an email, from every address: its owner has just proven who they are. */
  async clearLoginFailures(email: string): Promise<void> {
    await this.#loginEmail.delete(countKey(email))
    await deleteCountsEndingWith(this.orm, LOGIN_PAIR, ` ${countKey(email)}`)
  }
}
