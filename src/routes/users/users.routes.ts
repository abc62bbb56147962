import {
  authenticated,
  defineRoute,
  errorResponse,
  hashingBusy,
  jsonBody,
  jsonResponse,
  noStoreHeader,
} from '../../lib/route-helpers.js'
import { UserIdParams, UserPrivateSchema, UserPublicSchema } from '../../lib/users.js'
import { UserCreateSchema, UserUpdateSchema, VerificationSentSchema, VerifyEmailSchema } from './users.schemas.js'

const tags = ['users']
const duplicate = errorResponse('email_taken', 'Username already exists, or Email already exists')

export const createUser = defineRoute({
  method: 'post',
  path: '/api/users',
  operationId: 'createUser',
  tags,
  summary: 'Register a new account',
  request: { body: jsonBody(UserCreateSchema, 'The new account') },
  responses: {
    201: { ...jsonResponse(UserPrivateSchema, 'The created account'), headers: noStoreHeader },
    400: duplicate,
    429: errorResponse('too_many_registrations', 'Too many registrations from this client address'),
    503: hashingBusy,
  },
})

export const getCurrentUser = authenticated({
  method: 'get',
  path: '/api/users/me',
  operationId: 'getCurrentUser',
  tags,
  summary: 'The signed-in account',
  responses: { 200: { ...jsonResponse(UserPrivateSchema, 'The signed-in account'), headers: noStoreHeader } },
})

export const getUser = defineRoute({
  method: 'get',
  path: '/api/users/{user_id}',
  operationId: 'getUser',
  tags,
  summary: "A user's public profile",
  request: { params: UserIdParams },
  responses: { 200: jsonResponse(UserPublicSchema, 'The user'), 404: errorResponse('user_not_found') },
})

export const updateUser = authenticated({
  method: 'patch',
  path: '/api/users/{user_id}',
  operationId: 'updateUser',
  tags,
  summary: 'Change your own username, email or picture',
  description:
    'A new email needs `current_password`: without it the answer is 422, with a wrong one 400 ' +
    '`Incorrect password`, counted per account and per client address with the wrong passwords of ' +
    'PATCH /api/users/me/password. New emails tried, free or taken, count per account and per ' +
    'client address (429 with Retry-After past either; a wrong password is not counted there). ' +
    'The change ends every reset link still outstanding, and the old address is mailed a notice. ' +
    'A new email makes the account unverified: the old address\'s verification links end and the new ' +
    'address is mailed one. ' +
    'A username or image_file change, or the unchanged email sent along, needs no password.',
  request: { params: UserIdParams, body: jsonBody(UserUpdateSchema, 'The fields to change') },
  responses: {
    200: { ...jsonResponse(UserPrivateSchema, 'The updated account'), headers: noStoreHeader },
    400: errorResponse('email_taken', 'Username already exists, Email already exists, or Incorrect password (for a new email)'),
    403: errorResponse('not_self_to_update'),
    429: errorResponse(
      'too_many_email_changes',
      'Too many new emails tried, or too many wrong passwords, for this account or from this address',
    ),
    503: hashingBusy,
  },
})

export const deleteUser = authenticated({
  method: 'delete',
  path: '/api/users/{user_id}',
  operationId: 'deleteUser',
  tags,
  summary: 'Delete your own account and all its posts',
  request: { params: UserIdParams },
  responses: {
    204: { description: 'Deleted, with every post of the account' },
    403: errorResponse('not_self_to_delete'),
  },
})

export const verifyEmail = defineRoute({
  method: 'post',
  path: '/api/users/verify-email',
  operationId: 'verifyEmail',
  tags,
  summary: 'Verify the email address with the token from a verification link',
  description:
    'A token works once, within VERIFY_TOKEN_EXPIRE_HOURS, and only while it is the newest one sent ' +
    'and the address it was mailed to is still the account\'s email. Wrong, used or expired tokens ' +
    'count against the client address (429 with Retry-After past the limit).',
  request: { body: jsonBody(VerifyEmailSchema, 'The token') },
  responses: {
    204: { description: 'Verified' },
    400: errorResponse(
      'invalid_verification_token',
      'The token is wrong, used, expired, ended by a newer link, or sent to an address the account has left',
    ),
    429: errorResponse('too_many_verification_attempts', 'Too many wrong verification tokens from this address'),
  },
})

export const sendVerificationEmail = authenticated({
  method: 'post',
  path: '/api/users/me/verification-email',
  operationId: 'sendVerificationEmail',
  tags,
  summary: 'Mail a new verification link to your email; earlier links stop working',
  description: 'Counted per account (VERIFY_EMAIL_MAX_PER_USER an hour, 429 with Retry-After past it).',
  responses: {
    202: jsonResponse(VerificationSentSchema, 'Accepted; the mail is in the outbox'),
    409: errorResponse('email_already_verified'),
    429: errorResponse('too_many_verification_emails', 'Too many verification links asked for this account'),
  },
})
