import type { Context, Env, MiddlewareHandler } from 'hono'
import { errorBody } from './error-handler.js'

/** The request body's media type, lowercased and without parameters; '' when none is named. */
export function mediaTypeOf(c: Context): string {
  return (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/**
 * Refuses a request body of any media type but the ones given, with 415. JSON routes need no
 * such check (their validator refuses anything else), but a form route's validator also parses
 * multipart, which its route does not declare.
 */
export function acceptOnly(mediaTypes: readonly string[]): MiddlewareHandler<Env> {
  const accepted = new Set(mediaTypes.map((type) => type.toLowerCase()))
  return async (c, next) => {
    if (!accepted.has(mediaTypeOf(c))) return errorBody(c, 'unsupported_media_type')
    await next()
  }
}
