import { UniqueConstraintViolationException } from '@mikro-orm/core'
import { verifyCurrentPassword } from '../../auth/current-password.js'
import {
  checkCode,
  codeOfEitherKind,
  openSecret,
  replaceRecoveryCodes,
  sealSecret,
  withSecondFactor,
  type SecondFactorGuards,
} from '../../auth/second-factor.js'
import { newTotpSecret, totpEnrolment, totpStepOf, type TotpEnrolment } from '../../auth/totp.js'
import { RecoveryCode, TwoFactorSecret, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import { twoFactorMail } from './two-factor-mails.js'

type Guards = ClientGuards & SecondFactorGuards & Mailing
type Account = Pick<User, 'id' | 'email' | 'username' | 'twoFactorEnabled'>

const notice = (guards: Mailing, user: Account, turned: 'on' | 'off') =>
  twoFactorMail({ to: user.email, username: user.username, turned, accountLink: `${guards.mail.publicUrl}/account` })

/**
 * Starts an enrolment after checking the password again: a new secret, kept sealed and pending
 * until a code from it confirms it. A pending secret is replaced; two factors already on are not.
 */
export async function startEnrolment(em: EntityManager, guards: Guards, user: Account, password: string): Promise<TotpEnrolment> {
  if (user.twoFactorEnabled) throw new AppError('two_factor_already_enabled')
  await verifyCurrentPassword(em, guards, user.id, password)
  const secret = newTotpSecret()
  const row = { secretSealed: sealSecret(guards.twoFactor, user.id, secret), createdAt: new Date(), lastUsedStep: null }
  try {
    const replaced = await em.nativeUpdate(TwoFactorSecret, { user: user.id, confirmedAt: null }, row)
    if (replaced === 0) await em.insert(TwoFactorSecret, { user: user.id, confirmedAt: null, ...row })
  } catch (error) {
    // The row in the way is a confirmed secret: two factors were turned on meanwhile.
    if (error instanceof UniqueConstraintViolationException) throw new AppError('two_factor_already_enabled')
    throw error
  }
  return totpEnrolment(secret, user.email)
}

/**
 * Confirms the pending enrolment with a code from it, counted as wrong codes are: two factors go
 * on, the first recovery codes are made (answered, to be shown once), and a notice is mailed, all
 * in one transaction. The code is used up: it does not sign anyone in afterwards.
 */
export async function confirmEnrolment(em: EntityManager, guards: Guards, user: Account, code: string): Promise<string[]> {
  const pending = await em.findOne(TwoFactorSecret, { user: user.id })
  if (pending?.confirmedAt) throw new AppError('two_factor_already_enabled')
  if (!pending) throw new AppError('two_factor_not_pending')
  const secret = openSecret(guards.twoFactor, user.id, pending.secretSealed)
  const mail = await notice(guards, user, 'on')
  const codes = await checkCode(em, guards, user.id, async (tx) => {
    const step = totpStepOf(secret, code)
    if (step === null) return null
    // Only the secret this code is from: a newer enrolment (or a confirmation) meanwhile wins.
    const stillPending = { user: user.id, confirmedAt: null, secretSealed: pending.secretSealed }
    if ((await tx.nativeUpdate(TwoFactorSecret, stillPending, { confirmedAt: new Date(), lastUsedStep: step })) === 0) {
      throw new AppError('two_factor_not_pending')
    }
    await tx.nativeUpdate(User, { id: user.id }, { twoFactorEnabled: true })
    const recoveryCodes = await replaceRecoveryCodes(tx, guards.twoFactor, user.id)
    await guards.outbox.enqueue(tx, mail)
    return recoveryCodes
  })
  if (!codes) throw new AppError('invalid_code')
  return codes
}

/** Checks the password, then a code of the second factor; `change` runs in the transaction that uses the code. */
async function withPasswordAndCode<T>(
  em: EntityManager,
  guards: Guards,
  user: Account,
  { password, code }: { password: string; code: string },
  change: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  if (!user.twoFactorEnabled) throw new AppError('two_factor_not_enabled')
  await verifyCurrentPassword(em, guards, user.id, password)
  const done = await withSecondFactor(em, guards, user.id, codeOfEitherKind(code), change)
  if (!done) throw new AppError('invalid_code')
  return done.value
}

/** Turns two factors off (password and a code needed): the secret and the recovery codes go, and a notice is mailed. */
export async function disable(em: EntityManager, guards: Guards, user: Account, input: { password: string; code: string }): Promise<void> {
  const mail = await notice(guards, user, 'off')
  await withPasswordAndCode(em, guards, user, input, async (tx) => {
    await tx.nativeDelete(TwoFactorSecret, { user: user.id })
    await tx.nativeDelete(RecoveryCode, { user: user.id })
    await tx.nativeUpdate(User, { id: user.id }, { twoFactorEnabled: false })
    await guards.outbox.enqueue(tx, mail)
  })
}

/** A new set of recovery codes (password and a code needed); the old ones stop working. */
export function regenerateRecoveryCodes(em: EntityManager, guards: Guards, user: Account, input: { password: string; code: string }): Promise<string[]> {
  return withPasswordAndCode(em, guards, user, input, (tx) => replaceRecoveryCodes(tx, guards.twoFactor, user.id))
}
