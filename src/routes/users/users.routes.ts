import {
  authenticated,
  defineRoute,
  errorResponse,
  jsonBody,
  jsonResponse,
  noStoreHeader,
  retryLaterResponse,
} from '../route-helpers.js'
import { TOO_MANY_REGISTRATIONS } from '../../auth/attempt-limits.js'
import { hashingBusy } from '../auth/auth.routes.js'
import { PaginationQuery } from '../integer-params.js'
import { PostPageSchema } from '../posts/posts.schemas.js'
import {
  UserCreateSchema,
  UserIdParams,
  UserPrivateSchema,
  UserPublicSchema,
  UserUpdateSchema,
} from './users.schemas.js'

const tags = ['users']
const duplicate = errorResponse('Username already exists, or Email already exists', 'Email already exists')
const notFound = errorResponse('User not found')

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
    429: retryLaterResponse('Too many registrations from this client address', TOO_MANY_REGISTRATIONS),
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
  responses: { 200: jsonResponse(UserPublicSchema, 'The user'), 404: notFound },
})

export const listUserPosts = defineRoute({
  method: 'get',
  path: '/api/users/{user_id}/posts',
  operationId: 'listUserPosts',
  tags,
  summary: "A user's posts, newest first",
  request: { params: UserIdParams, query: PaginationQuery },
  responses: { 200: jsonResponse(PostPageSchema, 'A page of posts'), 404: notFound },
})

export const updateUser = authenticated({
  method: 'patch',
  path: '/api/users/{user_id}',
  operationId: 'updateUser',
  tags,
  summary: 'Change your own username, email or picture',
  request: { params: UserIdParams, body: jsonBody(UserUpdateSchema, 'The fields to change') },
  responses: {
    200: { ...jsonResponse(UserPrivateSchema, 'The updated account'), headers: noStoreHeader },
    400: duplicate,
    403: errorResponse('Not authorized to update this user'),
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
    403: errorResponse('Not authorized to delete this user'),
  },
})
