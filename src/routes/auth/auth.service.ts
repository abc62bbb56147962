import { attempt } from '../../auth/attempt-limits.js'
import { verifyCurrentPassword } from '../../auth/current-password.js'
import { claimMfaChallenge, countMfaFailure, endMfaChallenges, findMfaChallenge, issueMfaChallenge } from '../../auth/mfa-challenges.js'
import { HashingBusyError, needsRehash } from '../../auth/passwords.js'
import { withSecondFactor, type SecondFactorCode, type SecondFactorGuards } from '../../auth/second-factor.js'
import { endSessions, rotateRefreshToken, startSession, type IssuedSession } from '../../auth/sessions.js'
import type { SessionSettings } from '../../config/index.js'
import { PasswordResetToken, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import { passwordChangedMail } from './password-changed-mail.js'
import { recoveryCodeUsedMail } from './recovery-code-mail.js'
import { findUserByEmailKey } from './user-by-email.js'

/** What starts and keeps sessions: the client's guards and the session lifetimes. */
export type SessionGuards = ClientGuards & { sessions: SessionSettings }

/**
 * Starts a session for the account whose email and password these are. The attempt takes its
 * place in the limits before any hashing; a wrong password keeps it, a right one gives it back.
 * An account with two factors gets no session yet: 401 `Second factor required` with the
 * `mfa_token` of its second step (loginWithSecondFactor).
 */
export async function login(em: EntityManager, guards: SessionGuards, emailKey: string, password: string, userAgent?: string): Promise<IssuedSession> {
  const { client, limits, passwords } = guards
  const reservation = await limits.reserveLogin(emailKey, client)
  const user = await attempt(reservation, async () => {
    const found = await findUserByEmailKey(em, emailKey, { withPasswordHash: true })
    // An unknown email costs one verification too, so the answer's timing tells nothing.
    const valid = found ? await passwords.verify(found.passwordHash, password, client) : await passwords.verifyDummy(password, client)
    return valid ? found : null
  })
  if (!user) throw new AppError('incorrect_login')
  await reservation.succeeded()
  await rehashIfOutdated(em, guards, user, password)
  if (user.twoFactorEnabled) throw new AppError('second_factor_required', { extra: { mfa_token: await issueMfaChallenge(em, user.id) } })
  return startSession(em, guards.sessions, user.id, { address: guards.client, userAgent })
}

/**
 * The second step of a sign-in with two factors: a code of the account the `mfa_token` names
 * starts its session. Wrong codes count against the account's and the address's limits and
 * against the token, which dies after a few; the token and the code are used up together, in one
 * transaction. A recovery code used sends a notice saying how many are left.
 */
export async function loginWithSecondFactor(
  em: EntityManager,
  guards: SessionGuards & SecondFactorGuards & Mailing,
  mfaToken: string,
  code: SecondFactorCode,
  userAgent?: string,
): Promise<IssuedSession> {
  const challenge = await findMfaChallenge(em, mfaToken)
  const { userId } = challenge
  const passed = await withSecondFactor(em, guards, userId, code, async (tx, used) => {
    await claimMfaChallenge(tx, challenge)
    if (used.kind !== 'recovery') return
    const user = await tx.findOneOrFail(User, userId, { fields: ['email', 'username'] })
    const accountLink = `${guards.mail.publicUrl}/account`
    await guards.outbox.enqueue(tx, await recoveryCodeUsedMail({ to: user.email, username: user.username, remaining: used.remaining, accountLink }))
  })
  if (!passed) {
    await countMfaFailure(em, challenge)
    throw new AppError('incorrect_code')
  }
  return startSession(em, guards.sessions, userId, { address: guards.client, userAgent })
}

/** Trades a refresh token for a new pair; one that does not work counts as a failed login of the client address. */
export async function refresh(em: EntityManager, guards: SessionGuards, refreshToken: string | undefined, userAgent?: string): Promise<IssuedSession> {
  const reservation = await guards.limits.reserveRefresh(guards.client)
  const issued = await attempt(reservation, async () => {
    if (refreshToken === undefined) throw new AppError('invalid_refresh_token')
    return rotateRefreshToken(em, guards.sessions, refreshToken, { address: guards.client, userAgent })
  })
  await reservation.succeeded()
  return issued
}

/**
 * A hash made with older parameters is replaced by one made with today's, but only while it is
 * still the hash that was verified: a password change that landed meanwhile wins. A full
 * hashing queue leaves it for the next login.
 */
async function rehashIfOutdated(em: EntityManager, { passwords, client }: ClientGuards, user: User, password: string): Promise<void> {
  if (!needsRehash(user.passwordHash)) return
  try {
    const passwordHash = await passwords.hash(password, client)
    await em.nativeUpdate(User, { id: user.id, passwordHash: user.passwordHash }, { passwordHash })
  } catch (error) {
    if (!(error instanceof HashingBusyError)) throw error
  }
}

export interface PasswordChange {
  password: string
  newPassword: string
}

/**
 * Sets a new password after checking the current one. Wrong current passwords count against
 * the account's and the client's limits, checked before hashing. The new hash is written only
 * over the hash that was verified, so of two changes at once one wins and the other is told its
 * password is no longer current; an account deleted meanwhile is a 401. In the same transaction
 * every reset token of the account still outstanding ends, and every session but this one.
 */
export async function changePassword(
  em: EntityManager,
  guards: ClientGuards & Mailing,
  user: Pick<User, 'id' | 'email' | 'username'>,
  { password, newPassword }: PasswordChange,
  currentSessionId: string,
): Promise<void> {
  const userId = user.id
  const verifiedHash = await verifyCurrentPassword(em, guards, userId, password)
  if (newPassword === password) throw new AppError('same_password')

  const passwordHash = await guards.passwords.hash(newPassword, guards.client)
  const notice = await passwordChangedMail({
    to: user.email,
    username: user.username,
    how: 'changed',
    forgotPasswordLink: `${guards.mail.publicUrl}/forgot-password`,
  })
  const changed = await em.transactional(async (tx) => {
    const now = new Date()
    const written = await tx.nativeUpdate(User, { id: userId, passwordHash: verifiedHash }, { passwordHash, passwordChangedAt: now })
    if (written > 0) {
      // A reset link asked for before the change would undo it: every outstanding one ends with it.
      await tx.nativeUpdate(PasswordResetToken, { user: userId, usedAt: null }, { usedAt: now })
      await endSessions(tx, userId, currentSessionId)
      await endMfaChallenges(tx, userId)
      await guards.outbox.enqueue(tx, notice)
    }
    return written
  })
  if (changed === 0) {
    if ((await em.count(User, { id: userId })) === 0) throw new AppError('account_gone')
    throw new AppError('incorrect_password')
  }
}
