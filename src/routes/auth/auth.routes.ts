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
import { TOO_MANY_LOGINS, TOO_MANY_PASSWORD_CHANGES } from '../../auth/attempt-limits.js'
import { HASHING_BUSY } from '../../auth/passwords.js'
import { acceptOnly } from '../../http/media-type.js'
import { PasswordChangeSchema, TokenFormSchema, TokenSchema } from './auth.schemas.js'

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
