import { createRouter } from '../../lib/router.js'
import * as handlers from './sessions.handlers.js'
import * as routes from './sessions.routes.js'

export const sessionsRouter = createRouter()
sessionsRouter.openapi(routes.logout, handlers.logout)
sessionsRouter.openapi(routes.listSessions, handlers.listSessions)
sessionsRouter.openapi(routes.endOtherSessions, handlers.endOtherSessions)
sessionsRouter.openapi(routes.endSession, handlers.endSession)
