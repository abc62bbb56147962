import { z } from '@hono/zod-openapi'

export const HTTPErrorSchema = z.object({ detail: z.string() }).openapi('HTTPError')

export const ValidationErrorSchema = z
  .object({
    loc: z.array(z.union([z.string(), z.number()])).openapi({ example: ['body', 'email'] }),
    msg: z.string().openapi({ example: 'Invalid email address' }),
    type: z.string().openapi({ example: 'value_error' }),
  })
  .openapi('ValidationError')

export const HTTPValidationErrorSchema = z
  .object({ detail: z.array(ValidationErrorSchema) })
  .openapi('HTTPValidationError')

export type ValidationIssue = z.infer<typeof ValidationErrorSchema>
