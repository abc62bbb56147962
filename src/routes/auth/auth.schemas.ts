import { z } from '@hono/zod-openapi'
import type { SecondFactorCode } from '../../auth/second-factor.js'
import { HTTPErrorSchema } from '../../http/error-schemas.js'
import { REFRESH_COOKIE, WEB_CLIENT_ID } from '../../lib/refresh-cookie.js'
import { Email, linkToken, Password, PasswordInput } from '../../lib/users.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { nameKey } from '../../rules/names.js'
import { NOT_STORABLE_MESSAGE, STORABLE_TEXT } from '../../rules/text.js'

const GRANT_TYPES = ['password', 'refresh_token', 'mfa_otp', 'mfa_recovery_code'] as const
const FIELD_REQUIRED = 'Field required'

/** What the token route is asked for, once the form is known to be complete. */
export type Grant =
  | { grantType: 'password'; emailKey: string; password: string; clientId: string | undefined }
  | { grantType: 'refresh_token'; refreshToken: string | undefined; clientId: string | undefined }
  | { grantType: 'mfa'; mfaToken: string; code: SecondFactorCode; clientId: string | undefined }

// What each grant needs besides grant_type (a web client's refresh token is in its cookie).
const REQUIRED_FIELDS = {
  password: ['username', 'password'],
  refresh_token: ['refresh_token'],
  mfa_otp: ['mfa_token', 'otp'],
  mfa_recovery_code: ['mfa_token', 'recovery_code'],
} as const

const CODE_MAX = 64

// The OAuth2 token request's form (RFC 6749, 4.3.2 and 6), as FastAPI's OAuth2PasswordRequestForm
// for the password grant. Swagger UI's Authorize dialog sends grant_type=password and may add
// client_id and scope. Which fields are required depends on the grant, so the form checks that
// itself and hands the handler the grant it asks for.
export const TokenFormSchema = z
  .object({
    grant_type: z.enum(GRANT_TYPES).optional().openapi({
      description: '`password` (the default), `refresh_token`, or the second step of a sign-in with two factors: `mfa_otp` or `mfa_recovery_code`',
    }),
    username: z
      .string()
      .min(1)
      .max(FIELD_LIMITS.email.max)
      .regex(STORABLE_TEXT, `Username ${NOT_STORABLE_MESSAGE}`)
      .transform(nameKey)
      .optional()
      .openapi({ description: 'The account email (password grant)', example: 'corey@example.com' }),
    password: PasswordInput.optional().openapi({ description: 'The password (password grant)', example: 'correct horse battery' }),
    refresh_token: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .openapi({ description: `The refresh token (refresh_token grant); for client_id=${WEB_CLIENT_ID} the cookie holds it instead` }),
    mfa_token: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .openapi({ description: 'The `mfa_token` of the answer `Second factor required` (mfa_otp and mfa_recovery_code grants)' }),
    otp: z.string().min(1).max(CODE_MAX).optional().openapi({ description: 'The 6-digit code of the authenticator app (mfa_otp grant)', example: '123456' }),
    recovery_code: z
      .string()
      .min(1)
      .max(CODE_MAX)
      .optional()
      .openapi({ description: 'One of the recovery codes, with or without its dash, in any case (mfa_recovery_code grant)', example: 'K7Q2M-X9HRT' }),
    scope: z.string().max(1024).optional(),
    client_id: z
      .string()
      .max(1024)
      .optional()
      .openapi({ description: `\`${WEB_CLIENT_ID}\`: the refresh token goes in an HttpOnly cookie instead of the body` }),
    client_secret: z.string().max(1024).optional(),
  })
  .superRefine((form, ctx) => {
    const grant = form.grant_type ?? 'password'
    const required = grant === 'refresh_token' && form.client_id === WEB_CLIENT_ID ? [] : REQUIRED_FIELDS[grant]
    for (const field of required) {
      if (form[field] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: [field], message: FIELD_REQUIRED })
    }
  })
  .transform((form): Grant => {
    const clientId = form.client_id
    if (form.grant_type === 'refresh_token') return { grantType: 'refresh_token', refreshToken: form.refresh_token, clientId }
    if (form.grant_type === 'mfa_otp') return { grantType: 'mfa', mfaToken: form.mfa_token ?? '', code: { kind: 'otp', code: form.otp ?? '' }, clientId }
    if (form.grant_type === 'mfa_recovery_code') {
      return { grantType: 'mfa', mfaToken: form.mfa_token ?? '', code: { kind: 'recovery', code: form.recovery_code ?? '' }, clientId }
    }
    return { grantType: 'password', emailKey: form.username ?? '', password: form.password ?? '', clientId }
  })
  .openapi('TokenForm', { example: { username: 'corey@example.com', password: 'correct horse battery' } })

export const TokenErrorSchema = HTTPErrorSchema.extend({
  mfa_token: z.string().optional().openapi({
    description:
      'With `Second factor required` only: send it back within 5 minutes with grant_type=mfa_otp (and `otp`) or ' +
      'grant_type=mfa_recovery_code (and `recovery_code`). It works once and dies after 5 wrong codes.',
    example: 'oQ3tS9bV1xZ7kL2mN5pR8w.h4Jd8sLk2Qw9Er5Ty7Ui1Op3As6Df8Gh0Jk2Lz4Xc6V',
  }),
}).openapi('TokenError')

export const TokenCookiesSchema = z.object({
  [REFRESH_COOKIE]: z.string().max(256).optional().openapi({ description: `The refresh token, for client_id=${WEB_CLIENT_ID}` }),
})

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
