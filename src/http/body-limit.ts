import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './error-handler.js'
import { ERRORS } from './errors.js'

export const MAX_BODY_BYTES = 1024 * 1024

export const BODY_LIMIT_DESCRIPTION = `Request body larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`

// Only the methods whose routes take a body are limited (and declare 413). A body sent with
// another method is never read, and skipping them spares @hono/node-server building a Request.
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** A route whose body has a limit of its own (a picture upload), answered with its own 413. */
export interface RouteBodyLimit {
  method: string
  /** The route's path as the spec writes it, `/api/users/{user_id}/picture`. */
  path: string
  maxBytes: number
  detail: string
}

/** Byte counts as people read them: `5 MiB`, `100 KiB`, `1000 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

function limit(maxSize: number, detail: string): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c: Context) => errorBody(c, 'body_too_large', detail) })
}

/**
 * Every body is limited while it streams in: a declared Content-Length over the limit is refused
 * before a byte is read, and a body without one is counted as it arrives and refused at the
 * first byte past the limit. MAX_BODY_BYTES holds for every route but those in `routes`.
 */
export function limitRequestBodies(routes: RouteBodyLimit[] = []): MiddlewareHandler {
  const general = limit(MAX_BODY_BYTES, ERRORS.body_too_large.detail)
  const own = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/{[^}]+}/g, '[^/]+')}$`),
    limit: limit(route.maxBytes, route.detail),
  }))
  return (c, next) => {
    if (!METHODS_WITH_BODY.has(c.req.method)) return next()
    const route = own.find(({ method, pattern }) => method === c.req.method && pattern.test(c.req.path))
    return (route?.limit ?? general)(c, next)
  }
}
