import type { MiddlewareHandler } from 'hono'
import { Session, User } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { loadedColumns, preparedQuery, queryPrepared } from '../db/prepared.js'
import { fromSqlTimestamp, sqlTimestamp } from '../db/timestamps.js'
import { AppError } from '../http/errors.js'
import { InvalidTokenError, type TokenService, type TokenSubject } from './tokens.js'

/** What the current-user middleware needs from the request context. */
export interface CurrentUserVariables {
  em: EntityManager
  tokens: TokenService
  /** The client's full address (src/http/client-address.ts); limits and the hashing queue count it by its clientKey (an IPv6 /64). */
  client: string
}

interface CurrentUserEnv {
  Variables: CurrentUserVariables & { user: User; sessionId: string }
}

// "Last used" is kept to this resolution, so a busy session writes it once in a while, not on
// every request.
const LAST_USED_RESOLUTION_MS = 5 * 60_000

// The caller and their session in one statement: a session that ended or expired finds no row,
// so revocation costs no extra round trip. The user's columns are every column findOne(User)
// would load, from the entity's metadata; the hash stays behind, as it is lazy.
const USER_BY_SESSION = preparedQuery(
  'user_by_session',
  (metadata) =>
    `select ${loadedColumns(metadata.get(User.meta.className), 'u')}, s.last_used_at as session_last_used_at ` +
    'from sessions s join users u on u.id = s.user_id where s.id = ? and s.user_id = ? and s.expires_at > ?',
)

// As FastAPI's OAuth2PasswordBearer: the scheme is everything before the first space; whatever
// follows is the token, to be judged by the verifier.
function bearerToken(header: string | undefined): string | undefined {
  const [scheme = '', ...rest] = (header ?? '').split(' ')
  const token = rest.join(' ')
  return scheme.toLowerCase() === 'bearer' && token !== '' ? token : undefined
}

/**
 * Resolves the bearer token to a user and their live session, exposed as `c.var.user` and
 * `c.var.sessionId`, or answers 401.
 */
export const requireUser: MiddlewareHandler<CurrentUserEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'))
  if (!token) throw new AppError('not_authenticated')

  let subject: TokenSubject
  try {
    subject = await c.var.tokens.verify(token)
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new AppError('invalid_token')
    throw error
  }

  const { em } = c.var
  const now = new Date()
  const [row] = await queryPrepared<Record<string, unknown>>(em, USER_BY_SESSION, [subject.sessionId, subject.userId, sqlTimestamp(em, now)])
  if (!row) {
    // Only a refusal pays for telling a deleted account from an ended session.
    throw new AppError((await em.count(User, { id: subject.userId })) === 0 ? 'account_gone' : 'invalid_token')
  }
  const { session_last_used_at: lastUsedAt, ...userRow } = row
  if (now.getTime() - fromSqlTimestamp(lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(Session, { id: subject.sessionId }, { lastUsedAt: now, clientAddress: c.var.client })
  }
  // A managed entity, as findOne would give, without building the query on every request.
  c.set('user', em.map(User, userRow))
  c.set('sessionId', subject.sessionId)
  await next()
}
