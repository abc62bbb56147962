import { createRouter } from '../../lib/router.js'
import * as handlers from './users.handlers.js'
import * as routes from './users.routes.js'

// /api/users/me is registered before /api/users/{user_id} so that "me" is never read as an id.
export const usersRouter = createRouter()
usersRouter.openapi(routes.createUser, handlers.createUser)
usersRouter.openapi(routes.getCurrentUser, handlers.getCurrentUser)
usersRouter.openapi(routes.verifyEmail, handlers.verifyEmail)
usersRouter.openapi(routes.sendVerificationEmail, handlers.sendVerificationEmail)
usersRouter.openapi(routes.getUser, handlers.getUser)
usersRouter.openapi(routes.updateUser, handlers.updateUser)
usersRouter.openapi(routes.deleteUser, handlers.deleteUser)
