import type { MiddlewareHandler } from 'hono'
import type { BlankEnv } from 'hono/types'
import { AppError } from './errors.js'
import { mediaTypeOf } from './media-type.js'

/**
 * For a route whose body is multipart/form-data: another content type is a 415 (the route
 * validator would also parse a URL-encoded form), and a body that is not a well-formed form is a
 * 400 in the words of the error contract. The parsed form is cached for the validator.
 */
export const multipartOnly: MiddlewareHandler<BlankEnv> = async (c, next) => {
  // No Content-Type: the validator answers 422 for a missing body, or 415 for an unnamed one.
  if (c.req.header('Content-Type') !== undefined) {
    if (mediaTypeOf(c) !== 'multipart/form-data') throw new AppError('unsupported_media_type')
    try {
      await c.req.formData()
    } catch {
      throw new AppError('malformed_multipart')
    }
  }
  await next()
}
