import { WebauthnChallenge } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'

/** How long the options of a registration or a sign-in can be answered: the ceremony's timeout too. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000

/** Room for any challenge we make (32 bytes: 43 characters of base64url); the length of the table's column. */
export const CHALLENGE_MAX_LENGTH = 64

export type ChallengePurpose = 'registration' | 'authentication'

interface ChallengeOwner {
  purpose: ChallengePurpose
  /** The registering user; a sign-in's challenge has none. */
  userId: number | null
}

/** Keeps a challenge just put in options, for the one verification that may use it. Expired ones go. */
export async function storeChallenge(em: EntityManager, challenge: string, { purpose, userId }: ChallengeOwner): Promise<void> {
  const now = new Date()
  await purgeExpiredChallenges(em, now)
  await em.insert(WebauthnChallenge, { challenge, purpose, user: userId, expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS) })
}

/**
 * Uses a challenge up: true when it was live and given for this purpose (and user). Deleting it
 * is the claim, so of two verifications presenting one challenge, on any instances, exactly one
 * gets true; it is used up whether or not the rest of that verification passes.
 */
export async function consumeChallenge(em: EntityManager, challenge: string, { purpose, userId }: ChallengeOwner): Promise<boolean> {
  const deleted = await em.nativeDelete(WebauthnChallenge, { challenge, purpose, user: userId, expiresAt: { $gt: new Date() } })
  return deleted === 1
}

/** Deletes the challenges nobody used in time. */
export function purgeExpiredChallenges(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(WebauthnChallenge, { expiresAt: { $lte: now } })
}
