import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './error-handler.js'
import { AppError, ERRORS } from './errors.js'
import { mediaTypeOf } from './media-type.js'

export const MAX_BODY_BYTES = 1024 * 1024

export const BODY_LIMIT_DESCRIPTION = `Request body larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`

// Only the methods whose routes take a body are limited (and declare 413), and the routes with
// a limit of their own (a DELETE that takes a body among them). A body sent with another method
// is never read, and skipping them spares @hono/node-server building a Request.
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** A route whose body has a limit of its own (a picture upload, a DELETE with a body), answered with its own 413. */
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
 * Like `limit`, but a multipart form without a Content-Length is not read into memory here first:
 * it is counted as the route reads it (multipartOnly), and the read fails with the route's 413 at
 * the first byte past the limit. So a route that takes its turn before reading (a picture upload)
 * can refuse a form it has not read, sent chunked or not. The rest of the body is left unread,
 * not cancelled (which would reset the connection before the 413 goes out): closeAfterUnreadBody
 * discards it. Any other body, which the route refuses with 415, keeps the plain limit.
 */
function limitAsRead(maxSize: number, detail: string): MiddlewareHandler {
  const declared = limit(maxSize, detail)
  return (c, next) => {
    const { raw } = c.req
    const hasLength = raw.headers.has('content-length') && !raw.headers.has('transfer-encoding')
    if (!raw.body || hasLength || mediaTypeOf(c) !== 'multipart/form-data') return declared(c, next)
    const reader = raw.body.getReader()
    let size = 0
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) return controller.close()
        size += value.byteLength
        if (size > maxSize) controller.error(new AppError('body_too_large', { detail }))
        else controller.enqueue(value)
      },
    })
    // Made afresh, not from `raw`: the server's lightweight request is no Request to copy.
    const init = { method: raw.method, headers: raw.headers, signal: raw.signal, body: counted, duplex: 'half' }
    c.req.raw = new Request(raw.url, init as RequestInit)
    return next()
  }
}

/**
 * Every body is limited while it streams in: a declared Content-Length over the limit is refused
 * before a byte is read, and a body without one is counted as it arrives and refused at the
 * first byte past the limit. MAX_BODY_BYTES holds for every route but those in `routes`, whose
 * forms without a Content-Length are counted as the route reads them (see limitAsRead).
 */
export function limitRequestBodies(routes: RouteBodyLimit[] = []): MiddlewareHandler {
  const general = limit(MAX_BODY_BYTES, ERRORS.body_too_large.detail)
  const own = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/{[^}]+}/g, '[^/]+')}$`),
    limit: limitAsRead(route.maxBytes, route.detail),
  }))
  return (c, next) => {
    const route = own.find(({ method, pattern }) => method === c.req.method && pattern.test(c.req.path))
    if (route) return route.limit(c, next)
    return METHODS_WITH_BODY.has(c.req.method) ? general(c, next) : next()
  }
}
