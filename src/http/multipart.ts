import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { AppError } from './errors.js'
import { mediaTypeOf } from './media-type.js'

/**
 * For a route whose body is multipart/form-data: another content type is a 415 (the route
 * validator would also parse a URL-encoded form), and a body that is not a well-formed form is a
 * 400 in the words of the error contract. Parameters besides the boundary (a charset, say) are
 * fine. The parsed form is cached for the validator.
 */
export const multipartOnly: MiddlewareHandler<BlankEnv> = async (c, next) => {
  // No Content-Type: the validator answers 422 for a missing body, or 415 for an unnamed one.
  if (c.req.header('Content-Type') !== undefined) {
    if (mediaTypeOf(c) !== 'multipart/form-data') throw new AppError('unsupported_media_type')
    try {
      await c.req.formData()
    } catch (error) {
      // A body past its limit, counted as it is read (see limitRequestBodies), keeps its 413.
      if (error instanceof AppError) throw error
      throw new AppError('malformed_multipart')
    }
    // @hono/zod-openapi's gate before the validator takes `multipart/form-data` with a boundary
    // and nothing else, and answers 415 to any other parameter. The form is parsed and cached by
    // now, so nothing needs the header's parameters any more: it goes on as the bare media type.
    c.req.raw.headers.set('Content-Type', 'multipart/form-data')
  }
  await next()
}
