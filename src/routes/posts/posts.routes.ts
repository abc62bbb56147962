import { PaginationQuery } from '../../lib/integer-params.js'
import { authenticatedVerified, defineRoute, errorResponse, jsonBody, jsonResponse } from '../../lib/route-helpers.js'
import { UserIdParams } from '../../lib/users.js'
import {
  PostCreateSchema,
  PostIdParams,
  PostPageSchema,
  PostReplaceSchema,
  PostResponseSchema,
  PostUpdateSchema,
} from './posts.schemas.js'

const tags = ['posts']
const notFound = errorResponse('post_not_found')

// PUT and PATCH answer alike: the post as it is now, or why it was not changed.
const changedPostResponses = {
  200: jsonResponse(PostResponseSchema, 'The updated post'),
  403: errorResponse('not_author_to_update'),
  404: notFound,
}

export const listPosts = defineRoute({
  method: 'get',
  path: '/api/posts',
  operationId: 'listPosts',
  tags,
  summary: 'List posts, newest first',
  request: { query: PaginationQuery },
  responses: { 200: jsonResponse(PostPageSchema, 'A page of posts') },
})

export const listUserPosts = defineRoute({
  method: 'get',
  path: '/api/users/{user_id}/posts',
  operationId: 'listUserPosts',
  tags: ['users'],
  summary: "A user's posts, newest first",
  request: { params: UserIdParams, query: PaginationQuery },
  responses: { 200: jsonResponse(PostPageSchema, 'A page of posts'), 404: errorResponse('user_not_found') },
})

export const createPost = authenticatedVerified({
  method: 'post',
  path: '/api/posts',
  operationId: 'createPost',
  tags,
  summary: 'Create a post as the signed-in user',
  request: { body: jsonBody(PostCreateSchema, 'The new post') },
  responses: { 201: jsonResponse(PostResponseSchema, 'The created post') },
})

export const getPost = defineRoute({
  method: 'get',
  path: '/api/posts/{post_id}',
  operationId: 'getPost',
  tags,
  summary: 'Get one post',
  request: { params: PostIdParams },
  responses: { 200: jsonResponse(PostResponseSchema, 'The post'), 404: notFound },
})

export const replacePost = authenticatedVerified({
  method: 'put',
  path: '/api/posts/{post_id}',
  operationId: 'replacePost',
  tags,
  summary: "Replace a post's title and content (its author only)",
  request: { params: PostIdParams, body: jsonBody(PostReplaceSchema, 'The new title and content') },
  responses: changedPostResponses,
})

export const updatePost = authenticatedVerified({
  method: 'patch',
  path: '/api/posts/{post_id}',
  operationId: 'updatePost',
  tags,
  summary: 'Change some fields of a post (its author only)',
  request: { params: PostIdParams, body: jsonBody(PostUpdateSchema, 'The fields to change') },
  responses: changedPostResponses,
})

export const deletePost = authenticatedVerified({
  method: 'delete',
  path: '/api/posts/{post_id}',
  operationId: 'deletePost',
  tags,
  summary: 'Delete a post (its author only)',
  request: { params: PostIdParams },
  responses: {
    204: { description: 'Deleted' },
    403: errorResponse('not_author_to_delete'),
    404: notFound,
  },
})
