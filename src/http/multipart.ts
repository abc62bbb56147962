import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { ApiError } from './api-error.js'
import { mediaTypeOf, UNSUPPORTED_MEDIA_TYPE } from './media-type.js'

export const MALFORMED_MULTIPART = 'Malformed multipart/form-data in request body'

/**
 * For a route whose body is multipart/form-data: another content type is a 415 (the route
 * validator would also parse a URL-encoded form), and a body that is not a well-formed form is a
 * 400 in the words of the error contract. Parameters besides the boundary (a charset, say) are
 * fine. The parsed form is cached for the validator.
 */
export const multipartOnly: MiddlewareHandler<BlankEnv> = async (c, next) => {
  // No Content-Type: the validator answers 422 for a missing body, or 415 for an unnamed one.
  if (c.req.header('Content-Type') !== undefined) {
    if (mediaTypeOf(c) !== 'multipart/form-data') throw new ApiError(415, UNSUPPORTED_MEDIA_TYPE)
    try {
      await c.req.formData()
    } catch {
      throw new ApiError(400, MALFORMED_MULTIPART)
    }
    // @hono/zod-openapi's gate before the validator takes `multipart/form-data` with a boundary
    // and nothing else, and answers 415 to any other parameter. The form is parsed and cached by
    // now, so nothing needs the header's parameters any more: it goes on as the bare media type.
    c.req.raw.headers.set('Content-Type', 'multipart/form-data')
  }
  await next()
}
