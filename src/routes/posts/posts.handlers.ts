import type { EntityManager } from '@mikro-orm/sqlite'
import { Post } from '../../db/entities/index.js'
import { ApiError } from '../../http/errors.js'
import type { AppRouteHandler } from '../../http/router.js'
import { findPostOr404, findPostPage } from './posts.queries.js'
import type * as routes from './posts.routes.js'
import { toPostResponse, type PostChanges } from './posts.schemas.js'

function assertAuthor(post: Post, userId: number, action: 'update' | 'delete'): void {
  if (post.author.id !== userId) throw new ApiError(403, `Not authorized to ${action} this post`)
}

export const listPosts: AppRouteHandler<typeof routes.listPosts> = async (c) => {
  return c.json(await findPostPage(c.var.em, {}, c.req.valid('query')), 200)
}

export const createPost: AppRouteHandler<typeof routes.createPost> = async (c) => {
  const { em, user } = c.var
  const post = em.create(Post, { ...c.req.valid('json'), author: user })
  await em.flush()
  return c.json(toPostResponse(post), 201)
}

export const getPost: AppRouteHandler<typeof routes.getPost> = async (c) => {
  const post = await findPostOr404(c.var.em, c.req.valid('param').post_id)
  return c.json(toPostResponse(post), 200)
}

// PUT sends both fields, PATCH some: the validated body holds only the fields sent.
async function changePost(em: EntityManager, userId: number, postId: number, changes: PostChanges) {
  const post = await findPostOr404(em, postId)
  assertAuthor(post, userId, 'update')
  em.assign(post, changes)
  await em.flush()
  return toPostResponse(post)
}

export const replacePost: AppRouteHandler<typeof routes.replacePost> = async (c) => {
  const post = await changePost(c.var.em, c.var.user.id, c.req.valid('param').post_id, c.req.valid('json'))
  return c.json(post, 200)
}

export const updatePost: AppRouteHandler<typeof routes.updatePost> = async (c) => {
  const post = await changePost(c.var.em, c.var.user.id, c.req.valid('param').post_id, c.req.valid('json'))
  return c.json(post, 200)
}

export const deletePost: AppRouteHandler<typeof routes.deletePost> = async (c) => {
  const { em, user } = c.var
  const post = await findPostOr404(em, c.req.valid('param').post_id)
  assertAuthor(post, user.id, 'delete')
  await em.remove(post).flush()
  return c.body(null, 204)
}
