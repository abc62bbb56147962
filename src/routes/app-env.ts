import type { CurrentUserVariables } from '../auth/current-user.js'
import type { LoginThrottle } from '../auth/login-throttle.js'

/** What every request handler can reach through `c.var`. */
export interface AppVariables extends CurrentUserVariables {
  loginThrottle: LoginThrottle
  requestId: string
  /** PICTURE_MAX_BYTES */
  pictureMaxBytes: number
}

export interface AppEnv {
  Variables: AppVariables
}
