import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ValidationIssue } from './error-schemas.js'

/**
 * An error a handler throws to answer with `{"detail": ...}` and the given status: a message, or
 * for a 422 the list of validation issues (see invalidInput in validation.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : detail.map((issue) => issue.msg).join('; '))
    this.name = 'ApiError'
  }
}
