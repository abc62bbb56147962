import {
  authenticated,
  bearerChallengeHeader,
  defineRoute,
  errorResponse,
  jsonBody,
  jsonResponse,
  noStoreHeader,
} from '../route-helpers.js'
import { PasswordChangeSchema, TokenFormSchema, TokenSchema } from './auth.schemas.js'

const tags = ['auth']

export const login = defineRoute({
  method: 'post',
  path: '/api/users/token',
  operationId: 'login',
  tags,
  summary: 'Log in with email and password (OAuth2 password flow)',
  description:
    'Form-encoded. `username` holds the email, matched case-insensitively. After too many failed ' +
    'logins for one email, or from one client address, within the throttling window, further ' +
    'tries get 429 with Retry-After until the window ends; a successful login resets the count ' +
    'for that email.',
  request: {
    body: {
      required: true,
      description: 'The OAuth2 password grant form',
      content: { 'application/x-www-form-urlencoded': { schema: TokenFormSchema } },
    },
  },
  responses: {
    200: { ...jsonResponse(TokenSchema, 'An access token'), headers: noStoreHeader },
    401: {
      ...errorResponse('Incorrect email or password'),
      headers: bearerChallengeHeader,
    },
    429: {
      ...errorResponse('Too many failed logins', 'Too many login attempts, try again later'),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    },
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
  },
})
