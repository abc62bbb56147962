import type { MiddlewareHandler } from 'hono'
import { User } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { preparedQuery, queryPrepared } from '../db/prepared.js'
import { ApiError } from '../http/api-error.js'
import { InvalidTokenError, passwordVersion, type TokenService, type TokenSubject } from './tokens.js'

/** What the current-user middleware needs from the request context. */
export interface CurrentUserVariables {
  em: EntityManager
  tokens: TokenService
}

interface CurrentUserEnv {
  Variables: CurrentUserVariables & { user: User }
}

// Every column findOne(User) would load: the hash stays behind, as it is lazy.
const CALLER_BY_ID = preparedQuery(
  'caller_by_id',
  'select id, username, email, username_key, email_key, image_file, password_changed_at from users where id = ?',
)

type CallerRow = Record<string, unknown>

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

export function unauthorized(detail: string): ApiError {
  return new ApiError(401, detail, CHALLENGE)
}

// As FastAPI's OAuth2PasswordBearer: the scheme is everything before the first space; whatever
// follows is the token, to be judged by the verifier.
function bearerToken(header: string | undefined): string | undefined {
  const [scheme = '', ...rest] = (header ?? '').split(' ')
  const token = rest.join(' ')
  return scheme.toLowerCase() === 'bearer' && token !== '' ? token : undefined
}

/** Resolves the bearer token to a user and exposes it as `c.var.user`, or answers 401. */
export const requireUser: MiddlewareHandler<CurrentUserEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'))
  if (!token) throw unauthorized('Not authenticated')

  let subject: TokenSubject
  try {
    subject = await c.var.tokens.verify(token)
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthorized('Invalid or expired token')
    throw error
  }

  const { em } = c.var
  const [row] = await queryPrepared<CallerRow>(em, CALLER_BY_ID, [subject.userId])
  if (!row) throw unauthorized('User not found')
  // A managed entity, as findOne would give, without building the query on every request.
  const user = em.map(User, row)
  if (subject.passwordVersion !== passwordVersion(user.passwordChangedAt)) {
    throw unauthorized('Invalid or expired token')
  }
  c.set('user', user)
  await next()
}
