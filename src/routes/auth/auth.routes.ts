import { defineRoute, errorResponse, jsonResponse } from '../../http/route-helpers.js'
import { TokenFormSchema, TokenSchema } from './auth.schemas.js'

export const login = defineRoute({
  method: 'post',
  path: '/api/users/token',
  operationId: 'login',
  tags: ['auth'],
  summary: 'Log in with email and password (OAuth2 password flow)',
  description: 'Form-encoded. `username` holds the email, matched case-insensitively.',
  request: {
    body: {
      required: true,
      description: 'The OAuth2 password grant form',
      content: { 'application/x-www-form-urlencoded': { schema: TokenFormSchema } },
    },
  },
  responses: {
    200: jsonResponse(TokenSchema, 'An access token'),
    401: {
      ...errorResponse('Incorrect email or password'),
      headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer' } },
    },
  },
})
