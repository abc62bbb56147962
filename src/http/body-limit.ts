import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './error-handler.js'

export const MAX_BODY_BYTES = 1024 * 1024

export const BODY_TOO_LARGE = 'Request body too large'
export const BODY_LIMIT_DESCRIPTION = `Request body larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`

// Only the methods whose routes take a body are limited (and declare 413). A body sent with
// another method is never read, and skipping them spares @hono/node-server building a Request.
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

export function limitRequestBodies(): MiddlewareHandler {
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorBody(c, 413, BODY_TOO_LARGE) })
  return (c, next) => (METHODS_WITH_BODY.has(c.req.method) ? limit(c, next) : next())
}
