import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isAbortedRequest } from './aborted-request.js'
import { databaseUnavailable } from '../metrics/registry.js'
import { AppError, ERRORS, type ErrorCode, type ErrorEntry } from './errors.js'

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

/** The answer to an AppError, as the table in errors.ts says: `{"detail": ...}` (and its extra fields) and its headers. */
export function errorResponse(c: Context, error: AppError): Response {
  const entry: ErrorEntry = ERRORS[error.code]
  const retryAfter = error.options.retryAfterSeconds ?? entry.retryAfterSeconds
  const headers: Record<string, string> = {
    ...(entry.challenge && CHALLENGE),
    ...(retryAfter !== undefined && { 'Retry-After': String(retryAfter) }),
  }
  const detail = entry.field ? [{ loc: entry.field, msg: error.message, type: 'value_error' }] : error.message
  return c.json({ detail, ...error.options.extra }, entry.status, headers)
}

/** The answer for a code, with the table's message or the one given. */
export function errorBody(c: Context, code: ErrorCode, detail?: string): Response {
  return errorResponse(c, new AppError(code, { detail }))
}

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
    if (error instanceof AppError) return errorResponse(c, error)
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ detail: error.message || 'Bad Request' }, error.status as ContentfulStatusCode)
    }
    if (isAbortedRequest(c)) return errorBody(c, 'request_aborted')
    log(error, c)
    if (isUnavailable(error)) {
      databaseUnavailable.inc()
      return errorBody(c, 'service_unavailable')
    }
    return errorBody(c, 'internal')
  }
}
