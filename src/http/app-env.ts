import type { EntityManager } from '@mikro-orm/sqlite'
import type { LoginThrottle } from '../auth/login-throttle.js'
import type { TokenService } from '../auth/tokens.js'
import type { User } from '../db/entities/index.js'

/** What every request handler can reach through `c.var`. */
export interface AppVariables {
  em: EntityManager
  tokens: TokenService
  loginThrottle: LoginThrottle
  requestId: string
}

export interface AppEnv {
  Variables: AppVariables
}

/** The environment of a handler behind the current-user middleware. */
export interface AuthenticatedEnv {
  Variables: AppVariables & { user: User }
}
