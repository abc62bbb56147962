import { createRouter } from '../../lib/router.js'
import * as handlers from './passkeys.handlers.js'
import * as routes from './passkeys.routes.js'

export const passkeysRouter = createRouter()
passkeysRouter.openapi(routes.registrationOptions, handlers.registrationOptions)
passkeysRouter.openapi(routes.addPasskey, handlers.addPasskey)
passkeysRouter.openapi(routes.listPasskeys, handlers.listPasskeys)
passkeysRouter.openapi(routes.renamePasskey, handlers.renamePasskey)
passkeysRouter.openapi(routes.removePasskey, handlers.removePasskey)
passkeysRouter.openapi(routes.loginOptions, handlers.loginOptions)
passkeysRouter.openapi(routes.login, handlers.passkeyLogin)
