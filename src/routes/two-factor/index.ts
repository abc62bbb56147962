import { ERRORS } from '../../http/errors.js'
import { MAX_BODY_BYTES, type RouteBodyLimit } from '../../http/body-limit.js'
import { createRouter } from '../../lib/router.js'
import * as handlers from './two-factor.handlers.js'
import * as routes from './two-factor.routes.js'

export const twoFactorRouter = createRouter()
twoFactorRouter.openapi(routes.startTwoFactor, handlers.startTwoFactor)
twoFactorRouter.openapi(routes.confirmTwoFactor, handlers.confirmTwoFactor)
twoFactorRouter.openapi(routes.disableTwoFactor, handlers.disableTwoFactor)
twoFactorRouter.openapi(routes.regenerateRecoveryCodes, handlers.regenerateRecoveryCodes)

/** DELETE takes no body elsewhere, so this one's is limited by name (see limitRequestBodies). */
export const disableBodyLimit: RouteBodyLimit = {
  method: routes.disableTwoFactor.method,
  path: routes.disableTwoFactor.path,
  maxBytes: MAX_BODY_BYTES,
  detail: ERRORS.body_too_large.detail,
}
