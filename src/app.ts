import type { Context, MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AttemptLimits } from './auth/attempt-limits.js'
import { PasswordHasher } from './auth/passwords.js'
import { twoFactorKeys } from './auth/second-factor.js'
import { createTokenService } from './auth/tokens.js'
import type { Config } from './config/index.js'
import { isDatabaseUnavailable } from './db/availability.js'
import type { Orm } from './db/orm.js'
import { limitRequestBodies } from './http/body-limit.js'
import { createClientAddress } from './http/client-address.js'
import { mountDocs } from './http/docs.js'
import { createErrorHandler, errorBody } from './http/error-handler.js'
import { ERRORS } from './http/errors.js'
import { createLog, requestLogger, type Log } from './http/logger.js'
import { countRequests } from './metrics/http.js'
import type { Outbox } from './mail/outbox.js'
import { noReferrer, securityHeaders } from './http/security-headers.js'
import { closeAfterUnreadBody } from './http/unread-body.js'
import { mountPages, renderErrorPage } from './pages/index.js'
import { buildOpenAPIDocument, createApiRouter, routeBodyLimits } from './routes/index.js'
import type { AppEnv } from './lib/app-env.js'
import type { FairQueue } from './lib/fair-queue.js'
import { createRouter } from './lib/router.js'
import { createPictureQueue } from './routes/pictures/pictures.queue.js'

// The paths the spec declares: the API, the pictures under /media that it serves, and the health checks.
const isApiPath = (path: string) => /^\/(api|media)(\/|$)|^\/(healthz|readyz)$/.test(path)

export interface AppDeps {
  orm: Orm
  config: Config
  log?: Log
  /** The mail outbox: services write mails to it; its sender is started and stopped by the caller. */
  outbox: Outbox
  /** Where uploads take turns; by default made from the configuration (PICTURE_QUEUE_*). */
  pictureQueue?: FairQueue
}

/** The composition root: the one place where configuration, database, auth, API and pages meet. */
export function createApp({ orm, config, log = createLog(config.logLevel), outbox, pictureQueue = createPictureQueue(config.pictureQueue) }: AppDeps) {
  const tokens = createTokenService(config)
  const limits = new AttemptLimits(orm, config.limits)
  const passwords = new PasswordHasher(config.hashingQueue)
  const twoFactor = twoFactorKeys(config.secretKey)
  const clientAddress = createClientAddress(config.trustedProxies)
  const app = createRouter()

  // A client's id is kept only when short and plain (hono: letters, digits, _ - =), so no log line can be forged.
  app.use(requestId({ limitLength: 64 }))
  app.use(closeAfterUnreadBody)
  app.use(countRequests)
  if (config.logRequests) app.use(requestLogger(log, clientAddress))
  app.use(securityHeaders())
  for (const page of ['/login', '/register', '/account', '/forgot-password', '/reset-password', '/verify-email']) app.use(page, noReferrer)

  app.use('/api/*', limitRequestBodies(routeBodyLimits(config)))
  const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('em', orm.em.fork())
    c.set('tokens', tokens)
    c.set('limits', limits)
    c.set('passwords', passwords)
    c.set('client', clientAddress(c))
    c.set('pictureMaxBytes', config.pictureMaxBytes)
    c.set('pictureQueue', pictureQueue)
    c.set('outbox', outbox)
    c.set('mail', config.mail)
    c.set('requireVerifiedEmail', config.requireVerifiedEmail)
    c.set('sessions', config.sessions)
    c.set('twoFactor', twoFactor)
    c.set('passkeys', config.passkeys)
    c.set('log', log)
    await next()
  }
  app.use('/api/*', requestContext)
  app.use('/media/*', requestContext)
  app.use('/readyz', requestContext)
  app.route('/', createApiRouter())
  app.all('/api/*', (c) => errorBody(c, 'not_found'))

  mountDocs(app, buildOpenAPIDocument())
  mountPages(app)

  // The API always answers JSON; a page answers with the HTML error page and the same status.
  const handleError = createErrorHandler({
    log: (error, c: Context) => log.error({ request_id: c.get('requestId'), err: error }),
    isUnavailable: isDatabaseUnavailable,
  })
  app.notFound((c) => (isApiPath(c.req.path) ? errorBody(c, 'not_found') : renderErrorPage(c, ERRORS.not_found.status)))
  app.onError(async (error, c) => {
    const response = await handleError(error, c)
    return isApiPath(c.req.path) ? response : renderErrorPage(c, response.status as ContentfulStatusCode)
  })
  return app
}

export type App = ReturnType<typeof createApp>
