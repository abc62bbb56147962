import type { Config } from '../config/index.js'
import type { RouteBodyLimit } from '../http/body-limit.js'
import { registerSecurityScheme, DOCUMENT_CONFIG } from '../http/openapi.js'
import { createRouter } from '../lib/router.js'
import { authRouter } from './auth/index.js'
import { healthRouter } from './health/index.js'
import { passkeysRouter } from './passkeys/index.js'
import { picturesRouter, uploadBodyLimit } from './pictures/index.js'
import { postsRouter } from './posts/index.js'
import { sessionsRouter } from './sessions/index.js'
import { disableBodyLimit, twoFactorRouter } from './two-factor/index.js'
import { usersRouter } from './users/index.js'

/** Every API route. Building it needs no database, so the spec can be generated offline. */
export function createApiRouter() {
  const api = createRouter()
  api.route('/', authRouter)
  api.route('/', sessionsRouter)
  api.route('/', twoFactorRouter)
  api.route('/', passkeysRouter)
  api.route('/', usersRouter)
  api.route('/', picturesRouter)
  api.route('/', postsRouter)
  api.route('/', healthRouter)
  registerSecurityScheme(api)
  return api
}

export function buildOpenAPIDocument() {
  return createApiRouter().getOpenAPI31Document(DOCUMENT_CONFIG)
}

/** The routes whose request bodies have a limit of their own (every other has MAX_BODY_BYTES). */
export function routeBodyLimits(config: Pick<Config, 'pictureMaxBytes'>): RouteBodyLimit[] {
  return [uploadBodyLimit(config.pictureMaxBytes), disableBodyLimit]
}
