import { attempt } from '../../auth/attempt-limits.js'
import { hashLinkToken, newLinkToken } from '../../auth/link-tokens.js'
import { EmailVerificationToken, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import { verificationMail } from './verification-mail.js'

/**
 * Ends the account's pending verification links and writes a new one, mailed to its current
 * email, into the caller's transaction: the newest link is the only one that works, so which
 * mail to open is never a question, and a link sent to an address the account has left is dead.
 */
export async function queueVerificationLink(
  tx: EntityManager,
  { outbox, mail: settings }: Mailing,
  user: Pick<User, 'id' | 'email' | 'username'>,
): Promise<void> {
  const { token, tokenHash } = newLinkToken()
  const now = new Date()
  const mail = await verificationMail({
    to: user.email,
    username: user.username,
    // In the fragment, which browsers never send: no server log, proxy or Referer sees it.
    link: `${settings.publicUrl}/verify-email#token=${token}`,
    expireHours: settings.verifyTokenExpireHours,
  })
  await endVerificationLinks(tx, user.id, now)
  await tx.insert(EmailVerificationToken, {
    user: user.id,
    email: user.email,
    tokenHash,
    createdAt: now,
    expiresAt: new Date(now.getTime() + settings.verifyTokenExpireHours * 3_600_000),
  })
  await outbox.enqueue(tx, mail)
}

/** Ends every pending verification link of the account. */
export async function endVerificationLinks(tx: EntityManager, userId: number, now = new Date()): Promise<void> {
  await tx.nativeUpdate(EmailVerificationToken, { user: userId, usedAt: null }, { usedAt: now })
}

/** A new link for the signed-in account, counted per account; none for an email already verified. */
export async function sendVerificationLink(em: EntityManager, guards: ClientGuards & Mailing, user: User): Promise<void> {
  if (user.emailVerified) throw new AppError('email_already_verified')
  const reservation = await guards.limits.reserveVerificationMail(user.id)
  await attempt(reservation, () => em.transactional((tx) => queueVerificationLink(tx, guards, user)))
}

/**
 * Marks the address a token was mailed to as verified, if it is still the account's email. The
 * token is claimed in the same transaction, so it works once. A wrong, used or expired token
 * counts against the client address's limit.
 */
export async function verifyEmail(em: EntityManager, { client, limits }: ClientGuards, token: string): Promise<void> {
  const reservation = await limits.reserveEmailVerification(client)
  await attempt(reservation, async () => {
    const isLive = () => ({ tokenHash: hashLinkToken(token), usedAt: null, expiresAt: { $gt: new Date() } })
    const found = await em.findOne(EmailVerificationToken, isLive(), { fields: ['id', 'user', 'email'] })
    if (!found) throw new AppError('invalid_verification_token')
    await em.transactional(async (tx) => {
      const claimed = await tx.nativeUpdate(EmailVerificationToken, { id: found.id, ...isLive() }, { usedAt: new Date() })
      if (claimed === 0) throw new AppError('invalid_verification_token')
      // Bound to its address: after a move to another email it verifies nothing (and rolls back).
      const verified = await tx.nativeUpdate(User, { id: found.user.id, email: found.email }, { emailVerified: true })
      if (verified === 0) throw new AppError('invalid_verification_token')
    })
  })
  await reservation.succeeded()
}
