import type { MiddlewareHandler } from 'hono'
import { User } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { loadedColumns, preparedQuery, queryPrepared } from '../db/prepared.js'
import { AppError } from '../http/errors.js'
import { InvalidTokenError, passwordVersion, type TokenService, type TokenSubject } from './tokens.js'

/** What the current-user middleware needs from the request context. */
export interface CurrentUserVariables {
  em: EntityManager
  tokens: TokenService
}

interface CurrentUserEnv {
  Variables: CurrentUserVariables & { user: User }
}

// Every column findOne(User) would load, from the entity's metadata: the hash stays behind, as it is lazy.
const USER_BY_ID = preparedQuery('user_by_id', (metadata) => `select ${loadedColumns(metadata.get(User.meta.className))} from users where id = ?`)

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
  if (!token) throw new AppError('not_authenticated')

  let subject: TokenSubject
  try {
    subject = await c.var.tokens.verify(token)
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new AppError('invalid_token')
    throw error
  }

  const { em } = c.var
  const [row] = await queryPrepared<Record<string, unknown>>(em, USER_BY_ID, [subject.userId])
  if (!row) throw new AppError('account_gone')
  // A managed entity, as findOne would give, without building the query on every request.
  const user = em.map(User, row)
  if (subject.passwordVersion !== passwordVersion(user.passwordChangedAt)) throw new AppError('invalid_token')
  c.set('user', user)
  await next()
}
