import type { SessionSettings } from '../config/index.js'
import { RefreshToken, Session } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { AppError } from '../http/errors.js'
import { sessionEvents } from '../metrics/registry.js'
import { mintSplitToken, parseSplitToken, verifierMatches } from './split-tokens.js'
import { newSessionId } from './session-ids.js'

/**
 * A refresh token rotated away less than this long ago is refused without ending its session:
 * two tabs (or a client retrying after a lost answer) may present it at once, and only one of
 * them can win. Presented later, it can only be a copy, and its whole session ends.
 */
export const REUSE_GRACE_MS = 30_000

const USER_AGENT_MAX = 512

/** Where a session is used from: the client's address and its User-Agent. */
export interface SessionClient {
  address: string
  userAgent: string | undefined
}

/** A session just started or refreshed: the access token names `sessionId`; `refreshToken` is shown once. */
export interface IssuedSession {
  sessionId: string
  userId: number
  refreshToken: string
  expiresAt: Date
}

const seenFrom = (client: SessionClient) => ({
  clientAddress: client.address,
  userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
})

const idleExpiry = (settings: SessionSettings, createdAt: Date, now: Date) =>
  new Date(Math.min(now.getTime() + settings.idleMs, createdAt.getTime() + settings.maxMs))

/** Starts a session for a user who just proved who they are. */
export async function startSession(em: EntityManager, settings: SessionSettings, userId: number, client: SessionClient): Promise<IssuedSession> {
  const now = new Date()
  const sessionId = newSessionId()
  const expiresAt = idleExpiry(settings, now, now)
  const minted = mintSplitToken()
  await em.transactional(async (tx) => {
    await tx.insert(Session, { id: sessionId, user: userId, createdAt: now, lastUsedAt: now, expiresAt, ...seenFrom(client) })
    await tx.insert(RefreshToken, { selector: minted.selector, session: sessionId, verifierHash: minted.verifierHash, createdAt: now })
  })
  sessionEvents.inc({ event: 'started' })
  return { sessionId, userId, refreshToken: minted.token, expiresAt }
}

/**
 * Trades a live refresh token for a new one of the same session, whose idle lifetime starts
 * again. The old token is claimed by a conditional write, so of concurrent refreshes with one
 * token exactly one wins. A token already rotated away is refused; presented after the grace,
 * it ends its session (see REUSE_GRACE_MS). Anything else that is not a live token of a live
 * session is refused alike, and ends nothing.
 */
export async function rotateRefreshToken(
  em: EntityManager,
  settings: SessionSettings,
  token: string,
  client: SessionClient,
): Promise<IssuedSession> {
  const parts = parseSplitToken(token)
  if (!parts) throw new AppError('invalid_refresh_token')
  const found = await em.findOne(RefreshToken, { selector: parts.selector }, { populate: ['session'], strategy: 'joined' })
  if (!found || !verifierMatches(parts.verifier, found.verifierHash)) throw new AppError('invalid_refresh_token')

  const now = new Date()
  const session = found.session
  if (session.expiresAt <= now) throw new AppError('invalid_refresh_token')
  if (found.rotatedAt) {
    if (now.getTime() - found.rotatedAt.getTime() > REUSE_GRACE_MS && (await em.nativeDelete(Session, { id: session.id })) > 0) {
      sessionEvents.inc({ event: 'reuse_detected' })
    }
    throw new AppError('invalid_refresh_token')
  }

  const minted = mintSplitToken()
  const expiresAt = idleExpiry(settings, session.createdAt, now)
  await em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(RefreshToken, { selector: found.selector, rotatedAt: null }, { rotatedAt: now })
    // Another refresh with this token won, or the session ended meanwhile.
    if (claimed === 0) throw new AppError('invalid_refresh_token')
    const live = await tx.nativeUpdate(Session, { id: session.id, expiresAt: { $gt: now } }, { lastUsedAt: now, expiresAt, ...seenFrom(client) })
    if (live === 0) throw new AppError('invalid_refresh_token')
    await tx.insert(RefreshToken, { selector: minted.selector, session: session.id, verifierHash: minted.verifierHash, createdAt: now })
  })
  sessionEvents.inc({ event: 'refreshed' })
  return { sessionId: session.id, userId: session.user.id, refreshToken: minted.token, expiresAt }
}

/** The user's live sessions, newest first. */
export function listSessions(em: EntityManager, userId: number): Promise<Session[]> {
  return em.find(Session, { user: userId, expiresAt: { $gt: new Date() } }, { orderBy: { createdAt: 'desc', id: 'asc' } })
}

/** Ends one of the user's sessions; false when the user has no such session. */
export async function endSession(em: EntityManager, userId: number, sessionId: string): Promise<boolean> {
  const ended = await em.nativeDelete(Session, { id: sessionId, user: userId })
  sessionEvents.inc({ event: 'ended' }, ended)
  return ended > 0
}

/** Ends every session of the user but `keep` (none kept when it is undefined). */
export async function endSessions(em: EntityManager, userId: number, keep?: string): Promise<void> {
  const ended = await em.nativeDelete(Session, keep === undefined ? { user: userId } : { user: userId, id: { $ne: keep } })
  sessionEvents.inc({ event: 'ended' }, ended)
}

/** Deletes the sessions that expired; any instance may, at any time, alongside another. */
export async function purgeExpiredSessions(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(Session, { expiresAt: { $lte: now } })
}
