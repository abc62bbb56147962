import { z } from '@hono/zod-openapi'

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
