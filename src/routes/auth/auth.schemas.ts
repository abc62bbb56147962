import { z } from '@hono/zod-openapi'
import { Email, linkToken, Password, PasswordInput } from '../../lib/users.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { nameKey } from '../../rules/names.js'
import { NOT_STORABLE_MESSAGE, STORABLE_TEXT } from '../../rules/text.js'

// The OAuth2 password grant's form (RFC 6749, 4.3.2), as FastAPI's OAuth2PasswordRequestForm.
// Swagger UI's Authorize dialog sends grant_type=password and may add client_id and scope.
export const TokenFormSchema = z
  .object({
    username: z
      .string()
      .min(1)
      .max(FIELD_LIMITS.email.max)
      .regex(STORABLE_TEXT, `Username ${NOT_STORABLE_MESSAGE}`)
      .transform(nameKey)
      .openapi({ description: 'The account email', example: 'corey@example.com' }),
    password: PasswordInput.openapi({ example: 'correct horse battery' }),
    grant_type: z.literal('password').optional(),
    scope: z.string().max(1024).optional(),
    client_id: z.string().max(1024).optional(),
    client_secret: z.string().max(1024).optional(),
  })
  .openapi('TokenForm', { example: { username: 'corey@example.com', password: 'correct horse battery' } })

export const TokenSchema = z
  .object({
    access_token: z.string().openapi({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' }),
    token_type: z.literal('bearer'),
  })
  .openapi('Token')

export const PasswordChangeSchema = z
  .object({
    current_password: PasswordInput.openapi({ example: 'correct horse battery' }),
    new_password: Password.openapi({ example: 'battery staple horse correct' }),
  })
  .openapi('PasswordChange', {
    example: { current_password: 'correct horse battery', new_password: 'battery staple horse correct' },
  })

export const ForgotPasswordSchema = z
  .object({ email: Email })
  .openapi('ForgotPassword', { example: { email: 'corey@example.com' } })

export const ResetRequestedSchema = z
  .object({ detail: z.string() })
  .openapi('ResetRequested', { example: { detail: 'If that email is registered, a reset link is on its way' } })

const RESET_TOKEN_EXAMPLE = 'q2aF0m3xK8vYtR6wLz1pN4sB7dJ9cH5eG0uI2oA8kT4'

export const ResetPasswordSchema = z
  .object({
    token: linkToken('reset', RESET_TOKEN_EXAMPLE),
    new_password: Password.openapi({ example: 'battery staple horse correct' }),
  })
  .openapi('ResetPassword', { example: { token: RESET_TOKEN_EXAMPLE, new_password: 'battery staple horse correct' } })
