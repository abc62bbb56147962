import { z, type Hook } from '@hono/zod-openapi'
import type { $ZodIssue } from 'zod/v4/core'
import type { ValidationIssue } from './error-schemas.js'

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

/**
 * Validation messages in the words FastAPI (pydantic) uses, so its clients read the same text.
 * Zod passes the offending input only to its global error map, so this changes a global setting:
 * call it once at start-up (the server and the test setup do; the spec does not hold messages).
 */
export function useFastApiMessages(): void {
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
}

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
