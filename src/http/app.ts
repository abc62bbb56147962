import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { LoginThrottle } from '../auth/login-throttle.js'
import { createTokenService } from '../auth/tokens.js'
import type { Config } from '../config/index.js'
import type { Orm } from '../db/orm.js'
import { mountPages, renderErrorPage } from '../pages/index.js'
import { buildOpenAPIDocument, createApiRouter } from '../routes/index.js'
import { mountDocs } from './docs.js'
import { createErrorHandler, errorBody } from './errors.js'
import { describeError, jsonLog, type Log } from './logger.js'
import { createRouter } from './router.js'
import { noReferrer, securityHeaders } from './security-headers.js'

export const MAX_BODY_BYTES = 1024 * 1024

const isApiPath = (path: string) => /^\/api(\/|$)/.test(path)

export interface AppDeps {
  orm: Orm
  config: Config
  log?: Log
}

export function createApp({ orm, config, log = jsonLog }: AppDeps) {
  const tokens = createTokenService(config)
  const loginThrottle = new LoginThrottle({
    maxFailuresPerEmail: config.loginMaxFailuresPerEmail,
    maxFailuresPerClient: config.loginMaxFailuresPerClient,
    windowMs: config.loginThrottleWindowMinutes * 60_000,
  })
  const app = createRouter()

  app.use(requestId())
  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    if (!config.logRequests) return
    log({
      level: 'info',
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    })
  })

  app.use(securityHeaders())
  for (const page of ['/login', '/register', '/account']) app.use(page, noReferrer)

  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorBody(c, 413, 'Request body too large') })
  // Only the methods whose routes take a body are limited (and declare 413). A body sent with
  // another method is never read, and skipping them spares @hono/node-server building a Request.
  const methodsWithBody = new Set(['POST', 'PUT', 'PATCH'])
  app.use('/api/*', (c, next) => (methodsWithBody.has(c.req.method) ? limitBody(c, next) : next()))
  app.use('/api/*', async (c, next) => {
    c.set('em', orm.em.fork())
    c.set('tokens', tokens)
    c.set('loginThrottle', loginThrottle)
    await next()
  })
  app.route('/', createApiRouter())
  app.all('/api/*', (c) => errorBody(c, 404, 'Not Found'))

  mountDocs(app, buildOpenAPIDocument())
  mountPages(app)

  // The API always answers JSON; a page answers with the HTML error page and the same status.
  const handleError = createErrorHandler((error, c: Context) => {
    log({ level: 'error', request_id: c.get('requestId'), ...describeError(error) })
  })
  app.notFound((c) => (isApiPath(c.req.path) ? errorBody(c, 404, 'Not Found') : renderErrorPage(c, 404)))
  app.onError(async (error, c) => {
    const response = await handleError(error, c)
    return isApiPath(c.req.path) ? response : renderErrorPage(c, response.status as ContentfulStatusCode)
  })
  return app
}

export type App = ReturnType<typeof createApp>
