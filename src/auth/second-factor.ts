import type { Secret } from '../config/index.js'
import { RecoveryCode, TwoFactorSecret } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { attempt, type AttemptLimits } from './attempt-limits.js'
import { newRecoveryCodes, recoveryCodeHasher, type RecoveryCodeHasher } from './recovery-codes.js'
import { sealedBox, type SealedBox } from './sealed-box.js'
import { totpStepOf } from './totp.js'

const SECRET_PURPOSE = 'blog two-factor secrets v1'

/** What keeps second factors at rest: the box the TOTP secrets are sealed in and the recovery codes' HMAC. */
export interface TwoFactorKeys {
  box: SealedBox
  hashRecoveryCode: RecoveryCodeHasher
}

export function twoFactorKeys(secretKey: Secret): TwoFactorKeys {
  return { box: sealedBox(secretKey, SECRET_PURPOSE), hashRecoveryCode: recoveryCodeHasher(secretKey) }
}

// A sealed secret opens only in its own user's row.
const sealContext = (userId: number) => `two_factor_secrets:${userId}`

export function sealSecret(keys: TwoFactorKeys, userId: number, secret: string): string {
  return keys.box.seal(secret, sealContext(userId)).toString('base64')
}

export function openSecret(keys: TwoFactorKeys, userId: number, sealed: string): string {
  return keys.box.open(Buffer.from(sealed, 'base64'), sealContext(userId)).toString('utf8')
}

/** A code from the authenticator app (`otp`) or one of the recovery codes. */
export interface SecondFactorCode {
  kind: 'otp' | 'recovery'
  code: string
}

/** A code typed where either kind is taken: six digits are the app's, anything else a recovery code. */
export const codeOfEitherKind = (code: string): SecondFactorCode => ({ kind: /^\s*[0-9]{6}\s*$/.test(code) ? 'otp' : 'recovery', code })

export type UsedFactor = { kind: 'otp' } | { kind: 'recovery'; remaining: number }

/**
 * Takes a code of the user's confirmed second factor, in the caller's transaction; null when it
 * is wrong or was used. An app code is taken only for a later time step than the last one taken,
 * and a recovery code only while unused, each by a conditional write, so of two uses at once
 * (or a replay) exactly one succeeds.
 */
export async function useSecondFactor(tx: EntityManager, keys: TwoFactorKeys, userId: number, { kind, code }: SecondFactorCode): Promise<UsedFactor | null> {
  const confirmed = { user: userId, confirmedAt: { $ne: null } }
  if (kind === 'otp') {
    const row = await tx.findOne(TwoFactorSecret, confirmed, { fields: ['secretSealed'] })
    const step = row ? totpStepOf(openSecret(keys, userId, row.secretSealed), code) : null
    if (step === null) return null
    const taken = await tx.nativeUpdate(TwoFactorSecret, { ...confirmed, $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: step } }] }, { lastUsedStep: step })
    return taken > 0 ? { kind } : null
  }
  const codeHash = keys.hashRecoveryCode(code)
  if (codeHash === undefined) return null
  const taken = await tx.nativeUpdate(RecoveryCode, { user: userId, codeHash, usedAt: null }, { usedAt: new Date() })
  if (taken === 0) return null
  return { kind, remaining: await tx.count(RecoveryCode, { user: userId, usedAt: null }) }
}

/** A new set of recovery codes for the user, in the caller's transaction; the old set is gone. Answers the codes, to be shown once. */
export async function replaceRecoveryCodes(tx: EntityManager, keys: TwoFactorKeys, userId: number): Promise<string[]> {
  const codes = newRecoveryCodes()
  await tx.nativeDelete(RecoveryCode, { user: userId })
  await tx.insertMany(
    RecoveryCode,
    codes.map((code) => ({ user: userId, codeHash: keys.hashRecoveryCode(code)!, usedAt: null })),
  )
  return codes
}

export interface SecondFactorGuards {
  client: string
  limits: AttemptLimits
  twoFactor: TwoFactorKeys
}

/**
 * Runs a check of a code for the user in a transaction: `task` answers null for a wrong code,
 * which the caller refuses. The attempt takes its place in the limits (per account, and per client
 * address with failed logins) first: a wrong code keeps it, a right one gives it back.
 */
export async function checkCode<T>(
  em: EntityManager,
  { limits, client }: Pick<SecondFactorGuards, 'limits' | 'client'>,
  userId: number,
  task: (tx: EntityManager) => Promise<T | null>,
): Promise<T | null> {
  const reservation = await limits.reserveSecondFactor(userId, client)
  const result = await attempt(reservation, () => em.transactional(task))
  if (result !== null) await reservation.succeeded()
  return result
}

/**
 * Takes a code of the user's second factor (see useSecondFactor), counted as checkCode counts,
 * and runs `then` in the same transaction; answers what `then` does, or null for a wrong code.
 */
export function withSecondFactor<T>(
  em: EntityManager,
  guards: SecondFactorGuards,
  userId: number,
  code: SecondFactorCode,
  then: (tx: EntityManager, used: UsedFactor) => Promise<T>,
): Promise<{ value: T } | null> {
  return checkCode(em, guards, userId, async (tx) => {
    const used = await useSecondFactor(tx, guards.twoFactor, userId, code)
    return used ? { value: await then(tx, used) } : null
  })
}
