import {
  authenticated,
  bearerChallengeHeader,
  defineRoute,
  errorResponse,
  jsonBody,
  jsonResponse,
  noStoreHeader,
  retryLaterResponse,
} from '../route-helpers.js'
import {
  TOO_MANY_LOGINS,
  TOO_MANY_PASSWORD_CHANGES,
  TOO_MANY_RESET_ATTEMPTS,
  TOO_MANY_RESET_REQUESTS,
} from '../../auth/attempt-limits.js'
import { HASHING_BUSY } from '../../auth/passwords.js'
import { acceptOnly } from '../../http/media-type.js'
import {
  ForgotPasswordSchema,
  PasswordChangeSchema,
  ResetPasswordSchema,
  ResetRequestedSchema,
  TokenFormSchema,
  TokenSchema,
} from './auth.schemas.js'
import { INVALID_RESET_TOKEN } from './password-reset.service.js'

const tags = ['auth']
const FORM = 'application/x-www-form-urlencoded'

export const hashingBusy = retryLaterResponse(
  'Too many password checks are queued, or the database cannot answer right now',
  HASHING_BUSY,
)

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
    401: {
      ...errorResponse('Incorrect email or password'),
      headers: bearerChallengeHeader,
    },
    429: retryLaterResponse('Too many failed logins', TOO_MANY_LOGINS),
    503: hashingBusy,
  },
})

export const changePassword = authenticated({
  method: 'patch',
  path: '/api/users/me/password',
  operationId: 'changePassword',
  tags,
  summary: 'Change your password; tokens issued before stop working',
  request: { body: jsonBody(PasswordChangeSchema, 'The current and the new password') },
  responses: {
    204: { description: 'Changed. Log in again with the new password.' },
    400: errorResponse('Incorrect password, or the new password equals the current one', 'Incorrect password'),
    429: retryLaterResponse('Too many wrong current passwords for this account or from this address', TOO_MANY_PASSWORD_CHANGES),
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
    'expires, and ends the tokens of earlier requests. Requests count per email and per client address.',
  request: { body: jsonBody(ForgotPasswordSchema, 'The account email') },
  responses: {
    202: jsonResponse(ResetRequestedSchema, 'Accepted; a mail follows if the email is registered'),
    429: retryLaterResponse('Too many reset requests for this email or from this address', TOO_MANY_RESET_REQUESTS),
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
    400: errorResponse('The token is wrong, used, ended by a newer request, or expired', INVALID_RESET_TOKEN),
    429: retryLaterResponse('Too many wrong reset tokens from this address', TOO_MANY_RESET_ATTEMPTS),
    503: hashingBusy,
  },
})
