import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** An error a handler throws to answer with `{"detail": ...}` and the given status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
    this.name = 'ApiError'
  }
}
