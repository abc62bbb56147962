import { REUSE_GRACE_MS } from '../../auth/sessions.js'
import { acceptOnly } from '../../http/media-type.js'
import { refreshCookieHeader } from '../../lib/refresh-cookie.js'
import { TokenSchema } from '../../lib/token-answer.js'
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
  TokenCookiesSchema,
  TokenErrorSchema,
  TokenFormSchema,
} from './auth.schemas.js'

const tags = ['auth']
const FORM = 'application/x-www-form-urlencoded'

export const login = defineRoute({
  method: 'post',
  path: '/api/users/token',
  operationId: 'login',
  tags,
  summary: 'Sign in with email and password (and a second factor), or refresh (OAuth2 password and refresh_token grants)',
  description:
    'Form-encoded. **grant_type=password** (the default): `username` holds the email, matched ' +
    'case-insensitively; a session starts. Each attempt takes its place in the limits before the ' +
    'password is checked: consecutive failures for one email from one client address, failures ' +
    'from one address, and failures for one email from anywhere. Past any of them the login answers ' +
    '429 with Retry-After until its window ends; a successful login clears that email and address ' +
    'pair and gives its place back. **grant_type=refresh_token**: trades the refresh token for a new ' +
    'pair of the same session; the old one stops working. Presented again more than ' +
    `${REUSE_GRACE_MS / 1000} s after it was traded, it ends the whole session (it can only be a copy); ` +
    'within those seconds it is refused and the session lives (two tabs refreshing at once). A refresh ' +
    'token that does not work counts as a failed login of the client address. **client_id=web** (the ' +
    'pages): the refresh token is set in an HttpOnly cookie instead of the body, and the refresh grant ' +
    'reads it from there.\n\n' +
    '**Two factors.** For an account with two-factor authentication on, a right password answers 401 ' +
    '`{"detail": "Second factor required", "mfa_token": "..."}` instead of tokens. Send the `mfa_token` ' +
    'back within 5 minutes with **grant_type=mfa_otp** and `otp` (the authenticator app\'s 6-digit code; ' +
    'a step of clock drift either way is accepted, and each code works once) or ' +
    '**grant_type=mfa_recovery_code** and `recovery_code` (each works once; a notice mail says how many ' +
    'are left): the answer is the usual tokens and a session. A wrong code answers 401 `Invalid code` and ' +
    'counts per account and, with failed logins, per client address (429 past either); the token works ' +
    'once and dies after 5 wrong codes (401 `Invalid or expired MFA token`). In Swagger UI, the Authorize ' +
    'dialog cannot do this second step: use "Try it out" here with the mfa_token, then paste the ' +
    'access_token into Authorize.',
  middleware: acceptOnly([FORM]),
  request: {
    body: {
      required: true,
      description: 'The OAuth2 token request form',
      content: { [FORM]: { schema: TokenFormSchema } },
    },
    cookies: TokenCookiesSchema,
  },
  responses: {
    200: { ...jsonResponse(TokenSchema, 'An access token and a refresh token'), headers: { ...noStoreHeader, ...refreshCookieHeader } },
    401: {
      ...errorResponse(
        'incorrect_login',
        'Incorrect email or password; Second factor required (with `mfa_token`); for grant_type=refresh_token, ' +
          'Invalid or expired refresh token; for the mfa grants, Invalid code, or Invalid or expired MFA token',
      ),
      content: { 'application/json': { schema: TokenErrorSchema, example: { detail: 'Incorrect email or password' } } },
    },
    429: errorResponse('too_many_logins', 'Too many failed logins or refreshes from this address, or wrong codes for this account or from this address'),
    503: hashingBusy,
  },
})

export const changePassword = authenticated({
  method: 'patch',
  path: '/api/users/me/password',
  operationId: 'changePassword',
  tags,
  summary: 'Change your password; your other sessions end',
  description: 'Ends every other session (their access and refresh tokens) and every reset link still outstanding; this session goes on.',
  request: { body: jsonBody(PasswordChangeSchema, 'The current and the new password') },
  responses: {
    204: { description: 'Changed. Your other sessions are signed out.' },
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
  summary: 'Set a new password with the token from a reset link; every session ends',
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
