import { z, type Hook } from '@hono/zod-openapi'
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { $ZodIssue } from 'zod/v4/core'

export const ErrorSchema = z.object({ detail: z.string() }).openapi('HTTPError')

export const ValidationIssueSchema = z
  .object({
    loc: z.array(z.union([z.string(), z.number()])).openapi({ example: ['body', 'email'] }),
    msg: z.string().openapi({ example: 'Invalid email address' }),
    type: z.string().openapi({ example: 'value_error' }),
  })
  .openapi('ValidationError')

export const ValidationErrorSchema = z
  .object({ detail: z.array(ValidationIssueSchema) })
  .openapi('HTTPValidationError')

export type ValidationIssue = z.infer<typeof ValidationIssueSchema>

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

// Zod reports where a value came from as a validation target; FastAPI names it differently.
const LOCATIONS: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
}

const FIELD_REQUIRED = 'Field required'

// Messages in the words FastAPI (pydantic) uses, so clients of the model app read the same text.
// Zod only passes the offending input to this global error map, which is why it lives here.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return FIELD_REQUIRED
    if (issue.code === 'too_small' && issue.origin === 'string') {
      return `String should have at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}`
    }
    if (issue.code === 'too_big' && issue.origin === 'string') {
      return `String should have at most ${issue.maximum} characters`
    }
    if (issue.code === 'too_small') return `Input should be greater than or equal to ${issue.minimum}`
    if (issue.code === 'too_big') return `Input should be less than or equal to ${issue.maximum}`
    return undefined
  },
})

function issueType(issue: $ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message === FIELD_REQUIRED ? 'missing' : `${issue.expected}_type`
    case 'too_small':
      return issue.origin === 'string' ? 'string_too_short' : 'greater_than_equal'
    case 'too_big':
      return issue.origin === 'string' ? 'string_too_long' : 'less_than_equal'
    case 'invalid_format':
      return issue.format === 'regex' ? 'string_pattern_mismatch' : 'value_error'
    case 'invalid_value':
      return 'literal_error'
    default:
      return 'value_error'
  }
}

export function toValidationIssues(target: string, issues: readonly $ZodIssue[]): ValidationIssue[] {
  const where = LOCATIONS[target] ?? target
  return issues.map((issue) => ({
    loc: [where, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
    msg: issue.message,
    type: issueType(issue),
  }))
}

/** The defaultHook of every router: failed request validation becomes a FastAPI-style 422. */
export const validationHook: Hook<unknown, any, string, unknown> = (result, c) => {
  if (!result.success) {
    return c.json({ detail: toValidationIssues(result.target, result.error.issues) }, 422)
  }
}

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
