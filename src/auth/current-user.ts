import type { MiddlewareHandler } from 'hono'
import { User } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
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

  const user = await c.var.em.findOne(User, subject.userId)
  if (!user) throw unauthorized('User not found')
  if (subject.passwordVersion !== passwordVersion(user.passwordChangedAt)) {
    throw unauthorized('Invalid or expired token')
  }
  c.set('user', user)
  await next()
}
