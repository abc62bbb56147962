import { createRouter } from '../../lib/router.js'
import * as handlers from './auth.handlers.js'
import * as routes from './auth.routes.js'

export const authRouter = createRouter()
authRouter.openapi(routes.login, handlers.login)
authRouter.openapi(routes.changePassword, handlers.changePassword)
authRouter.openapi(routes.forgotPassword, handlers.forgotPassword)
authRouter.openapi(routes.resetPassword, handlers.resetPassword)
