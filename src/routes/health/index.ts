import { createRouter } from '../../lib/router.js'
import * as handlers from './health.handlers.js'
import * as routes from './health.routes.js'

export const healthRouter = createRouter()
healthRouter.openapi(routes.getHealth, handlers.getHealth)
healthRouter.openapi(routes.getReadiness, handlers.getReadiness)
