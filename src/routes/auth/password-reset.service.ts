import { attempt } from '../../auth/attempt-limits.js'
import { hashLinkToken, newLinkToken } from '../../auth/link-tokens.js'
import { endMfaChallenges } from '../../auth/mfa-challenges.js'
import { endSessions } from '../../auth/sessions.js'
import { PasswordResetToken, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import { passwordChangedMail } from './password-changed-mail.js'
import { resetMail } from './reset-mail.js'
import { findUserByEmailKey } from './user-by-email.js'

export const RESET_REQUESTED = 'If that email is registered, a reset link is on its way'

/**
 * Takes the request's place in the limits and leaves the rest until after the answer: whether
 * the email has an account is looked up then, so the answer is the same, in the same time, for
 * every email.
 */
export async function forgotPassword(em: EntityManager, guards: ClientGuards & Mailing, emailKey: string): Promise<void> {
  await guards.limits.reserveResetRequest(emailKey, guards.client)
  const fork = em.fork()
  guards.outbox.defer(() => issueResetLink(fork, guards, emailKey))
}

/**
 * How long a link outlives a newer request. A user who asks twice (or clicks Send twice) gets two
 * working links, and someone asking for the owner's email cannot end the link the owner has just
 * been sent; a link older than this ends with the next request, whose link goes to the same inbox.
 */
export const YOUNG_LINK_MS = 60_000

/**
 * A new token for the email's account, ending its earlier ones except those issued within the
 * last minute, and the mail that carries it, written to the outbox in the same transaction: both
 * or neither. Nothing for an unknown email.
 */
async function issueResetLink(em: EntityManager, { outbox, mail: settings }: Mailing, emailKey: string): Promise<void> {
  const user = await findUserByEmailKey(em, emailKey)
  if (!user) return
  const { token, tokenHash } = newLinkToken()
  const now = new Date()
  const expiresAt = new Date(now.getTime() + settings.resetTokenExpireMinutes * 60_000)
  const youngSince = new Date(now.getTime() - YOUNG_LINK_MS)
  const mail = await resetMail({
    to: user.email,
    username: user.username,
    // In the fragment, which browsers never send: no server log, proxy or Referer sees it.
    link: `${settings.publicUrl}/reset-password#token=${token}`,
    expireMinutes: settings.resetTokenExpireMinutes,
  })
  await em.transactional(async (tx) => {
    await tx.nativeUpdate(PasswordResetToken, { user: user.id, usedAt: null, createdAt: { $lte: youngSince } }, { usedAt: now })
    await tx.insert(PasswordResetToken, { user: user.id, tokenHash, createdAt: now, expiresAt })
    await outbox.enqueue(tx, mail)
  })
}

/**
 * Sets a new password with a reset token. A wrong, used or expired token counts against the
 * client's reset limit. The token is claimed in the same transaction that writes the hash, so
 * of two resets with one token only one succeeds; it ends every session of the user (and so
 * every access token) and every other reset token, and the email's failed logins are forgotten. A notice goes to
 * the account's address in the same transaction.
 */
export async function resetPassword(em: EntityManager, guards: ClientGuards & Mailing, token: string, newPassword: string): Promise<void> {
  const { client, limits, passwords } = guards
  const reservation = await limits.reservePasswordReset(client)
  const emailKey = await attempt(reservation, async () => {
    const isLive = () => ({ tokenHash: hashLinkToken(token), usedAt: null, expiresAt: { $gt: new Date() } })
    const found = await em.findOne(PasswordResetToken, isLive(), { fields: ['id', 'user'] })
    if (!found) throw new AppError('invalid_reset_token')
    const userId = found.user.id
    const passwordHash = await passwords.hash(newPassword, client)
    return em.transactional(async (tx) => {
      const now = new Date()
      const claimed = await tx.nativeUpdate(PasswordResetToken, { id: found.id, ...isLive() }, { usedAt: now })
      if (claimed === 0) throw new AppError('invalid_reset_token')
      await tx.nativeUpdate(User, { id: userId }, { passwordHash, passwordChangedAt: now })
      await tx.nativeUpdate(PasswordResetToken, { user: userId, usedAt: null }, { usedAt: now })
      await endSessions(tx, userId)
      await endMfaChallenges(tx, userId)
      const user = await tx.findOneOrFail(User, userId, { fields: ['emailKey', 'email', 'username'] })
      const notice = await passwordChangedMail({
        to: user.email,
        username: user.username,
        how: 'reset',
        forgotPasswordLink: `${guards.mail.publicUrl}/forgot-password`,
      })
      await guards.outbox.enqueue(tx, notice)
      return user.emailKey
    })
  })
  await reservation.succeeded()
  await limits.clearLoginFailures(emailKey)
}
