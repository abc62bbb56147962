import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isAbortedRequest } from './aborted-request.js'
import { ApiError } from './api-error.js'

export function errorBody(c: Context, status: ContentfulStatusCode, detail: string) {
  return c.json({ detail }, status)
}

export const SERVICE_UNAVAILABLE = 'Service Unavailable'

// About the time the database connection needs to time out and be tried again.
const RETRY_UNAVAILABLE_AFTER_SECONDS = '5'

export interface ErrorHandlerOptions {
  log: (error: unknown, c: Context) => void
  /** True for an error that means a dependency (the database) can't answer right now. */
  isUnavailable: (error: unknown) => boolean
}

/**
 * The one place that turns an exception into a response. Errors the client caused keep their
 * status; a request whose client went away mid-body is no error of ours and nobody reads its
 * answer (the request log says it was aborted); a dependency that is down gives a 503 the client
 * may retry; anything else is logged and answered with a bare 500. No internals reach a client
 * either way.
 */
export function createErrorHandler({ log, isUnavailable }: ErrorHandlerOptions): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) {
      return c.json({ detail: error.detail }, error.status, error.headers)
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorBody(c, error.status as ContentfulStatusCode, error.message || 'Bad Request')
    }
    if (isAbortedRequest(c)) return errorBody(c, 400, 'Request aborted')
    log(error, c)
    if (isUnavailable(error)) return c.json({ detail: SERVICE_UNAVAILABLE }, 503, { 'Retry-After': RETRY_UNAVAILABLE_AFTER_SECONDS })
    return errorBody(c, 500, 'Internal Server Error')
  }
}
