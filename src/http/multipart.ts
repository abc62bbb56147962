import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { ApiError } from './api-error.js'
import { mediaTypeOf, UNSUPPORTED_MEDIA_TYPE } from './media-type.js'

export const MALFORMED_MULTIPART = 'Malformed multipart/form-data in request body'

/**
 * For a route whose body is multipart/form-data: another content type is a 415 (the route
 * validator would also parse a URL-encoded form), and a body that is not a well-formed form is a
 * 400 in the words of the error contract. The parsed form is cached for the validator.
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
  }
  await next()
}
