import { acceptOnly } from '../../http/media-type.js'
import {
  authenticated,
  defineRoute,
  errorResponse,
  hashingBusy,
  jsonBody,
  jsonResponse,
  noStoreHeader,
} from '../../lib/route-helpers.js'
import {
  ForgotPasswordSchema,
  PasswordChangeSchema,
  ResetPasswordSchema,
  ResetRequestedSchema,
  TokenFormSchema,
  TokenSchema,
} from './auth.schemas.js'

const tags = ['auth']
const FORM = 'application/x-www-form-urlencoded'

export const login = defineRoute({
  method: 'post',
  path: '/api/users/token',
  operationId: 'login',
  tags,
  summary: 'Log in with email and password (OAuth2 password flow)',
  description:
    'Form-encoded. `username` holds the email, matched case-insensitively. Each attempt takes its ' +
    'place in the limits before the password is checked: consecutive failures for one email from ' +
    'one client address, failures from one address, and failures for one email from anywhere. ' +
    'Past any of them the login answers 429 with Retry-After until its window ends; a successful ' +
    'login clears that email and address pair and gives its place back.',
  middleware: acceptOnly([FORM]),
  request: {
    body: {
      required: true,
      description: 'The OAuth2 password grant form',
      content: { [FORM]: { schema: TokenFormSchema } },
    },
  },
  responses: {
    200: { ...jsonResponse(TokenSchema, 'An access token'), headers: noStoreHeader },
    401: errorResponse('incorrect_login'),
    429: errorResponse('too_many_logins', 'Too many failed logins'),
    503: hashingBusy,
  },
})

export const changePassword = authenticated({
  method: 'patch',
  path: '/api/users/me/password',
  operationId: 'changePassword',
  tags,
  summary: 'Change your password; tokens issued before stop working',
  description: 'Ends every access token issued before it and every reset link still outstanding.',
  request: { body: jsonBody(PasswordChangeSchema, 'The current and the new password') },
  responses: {
    204: { description: 'Changed. Log in again with the new password.' },
    400: errorResponse('incorrect_password', 'Incorrect password, or the new password equals the current one'),
    429: errorResponse('too_many_password_changes', 'Too many wrong current passwords for this account or from this address'),
    503: hashingBusy,
  },
})

export const forgotPassword = defineRoute({
  method: 'post',
  path: '/api/users/forgot-password',
  operationId: 'forgotPassword',
  tags,
  summary: 'Ask for a password reset link by email',
  description:
    'Answers 202 with the same body, headers and timing for every email, registered or not; the ' +
    'mail is written and sent after the answer. The link carries a token that works once, ' +
    'expires, and ends the tokens of earlier requests except those issued in the last 60 s. ' +
    'Requests count per email and client address, per client address, and per email at a higher ceiling.',
  request: { body: jsonBody(ForgotPasswordSchema, 'The account email') },
  responses: {
    202: jsonResponse(ResetRequestedSchema, 'Accepted; a mail follows if the email is registered'),
    429: errorResponse('too_many_reset_requests', 'Too many reset requests for this email from this address, from this address, or for this email'),
  },
})

export const resetPassword = defineRoute({
  method: 'post',
  path: '/api/users/reset-password',
  operationId: 'resetPassword',
  tags,
  summary: 'Set a new password with the token from a reset link; tokens issued before stop working',
  request: { body: jsonBody(ResetPasswordSchema, 'The token and the new password') },
  responses: {
    204: { description: 'Changed. Log in with the new password.' },
    400: errorResponse(
      'invalid_reset_token',
      'The token is wrong, used, expired, or ended by a request over a minute newer, a password change or an email change',
    ),
    429: errorResponse('too_many_reset_attempts', 'Too many wrong reset tokens from this address'),
    503: hashingBusy,
  },
})
