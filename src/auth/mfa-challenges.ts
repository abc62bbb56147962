import { raw } from '@mikro-orm/core'
import { MfaChallenge } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { AppError } from '../http/errors.js'
import { mintSplitToken, parseSplitToken, verifierMatches } from './split-tokens.js'

/**
 * The second step of a sign-in: a right password for an account with two factors gets an
 * `mfa_token` instead of a session. The token names its account; it works once, within
 * MFA_TOKEN_LIFETIME_MS, and dies after MAX_CODE_FAILURES wrong codes.
 */
export const MFA_TOKEN_LIFETIME_MS = 5 * 60_000
export const MAX_CODE_FAILURES = 5

const live = (now: Date) => ({ usedAt: null, expiresAt: { $gt: now }, failures: { $lt: MAX_CODE_FAILURES } })

/** A new challenge for the user, whose password was just verified; answers its `mfa_token`. Their dead ones go. */
export async function issueMfaChallenge(em: EntityManager, userId: number): Promise<string> {
  const now = new Date()
  const minted = mintSplitToken()
  await em.nativeDelete(MfaChallenge, { user: userId, $not: live(now) })
  await em.insert(MfaChallenge, {
    selector: minted.selector,
    user: userId,
    verifierHash: minted.verifierHash,
    expiresAt: new Date(now.getTime() + MFA_TOKEN_LIFETIME_MS),
    failures: 0,
    usedAt: null,
  })
  return minted.token
}

export interface OpenChallenge {
  selector: string
  userId: number
}

/** The live challenge of this token; anything else is 401 `Invalid or expired MFA token`. */
export async function findMfaChallenge(em: EntityManager, token: string): Promise<OpenChallenge> {
  const parts = parseSplitToken(token)
  const found = parts && (await em.findOne(MfaChallenge, { selector: parts.selector, ...live(new Date()) }))
  if (!parts || !found || !verifierMatches(parts.verifier, found.verifierHash)) throw new AppError('invalid_mfa_token')
  return { selector: found.selector, userId: found.user.id }
}

/** Uses the challenge up, in the transaction that starts its session: of two uses at once, one wins, the other is refused. */
export async function claimMfaChallenge(tx: EntityManager, { selector }: OpenChallenge): Promise<void> {
  const claimed = await tx.nativeUpdate(MfaChallenge, { selector, ...live(new Date()) }, { usedAt: new Date() })
  if (claimed === 0) throw new AppError('invalid_mfa_token')
}

/** Counts a wrong code against the challenge. */
export async function countMfaFailure(em: EntityManager, { selector }: OpenChallenge): Promise<void> {
  await em.nativeUpdate(MfaChallenge, { selector }, { failures: raw('failures + 1') })
}

/** Ends the user's challenges: a new password ends the second steps of the old one. */
export async function endMfaChallenges(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(MfaChallenge, { user: userId })
}
