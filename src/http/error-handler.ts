import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ApiError } from './api-error.js'

export function errorBody(c: Context, status: ContentfulStatusCode, detail: string) {
  return c.json({ detail }, status)
}

/**
 * The one place that turns an exception into a response. Errors the client caused keep their
 * status; anything else is logged and answered with a bare 500 so no internals reach a client.
 */
export function createErrorHandler(log: (error: unknown, c: Context) => void): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) {
      return c.json({ detail: error.detail }, error.status, error.headers)
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorBody(c, error.status as ContentfulStatusCode, error.message || 'Bad Request')
    }
    log(error, c)
    return errorBody(c, 500, 'Internal Server Error')
  }
}
