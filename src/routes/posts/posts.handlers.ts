import { AppError } from '../../http/errors.js'
import type { AppRouteHandler } from '../../lib/router.js'
import type * as routes from './posts.routes.js'
import { toPostPage, toPostResponse } from './posts.schemas.js'
import { readPost, readPostPage, readUserPostPage } from './posts.reads.js'
import * as posts from './posts.service.js'

export const listPosts: AppRouteHandler<typeof routes.listPosts> = async (c) => {
  const paging = c.req.valid('query')
  return c.json(toPostPage(await readPostPage(c.var.em, paging), paging), 200)
}

export const listUserPosts: AppRouteHandler<typeof routes.listUserPosts> = async (c) => {
  const paging = c.req.valid('query')
  const page = await readUserPostPage(c.var.em, c.req.valid('param').user_id, paging)
  if (!page) throw new AppError('user_not_found')
  return c.json(toPostPage(page, paging), 200)
}

export const createPost: AppRouteHandler<typeof routes.createPost> = async (c) => {
  const post = await posts.createPost(c.var.em, c.var.user, c.req.valid('json'))
  return c.json(toPostResponse(post), 201)
}

export const getPost: AppRouteHandler<typeof routes.getPost> = async (c) => {
  const post = await readPost(c.var.em, c.req.valid('param').post_id)
  if (!post) throw new AppError('post_not_found')
  return c.json(toPostResponse(post), 200)
}

export const replacePost: AppRouteHandler<typeof routes.replacePost> = async (c) => {
  const post = await posts.updatePost(c.var.em, c.var.user, c.req.valid('param').post_id, c.req.valid('json'))
  return c.json(toPostResponse(post), 200)
}

export const updatePost: AppRouteHandler<typeof routes.updatePost> = async (c) => {
  const post = await posts.updatePost(c.var.em, c.var.user, c.req.valid('param').post_id, c.req.valid('json'))
  return c.json(toPostResponse(post), 200)
}

export const deletePost: AppRouteHandler<typeof routes.deletePost> = async (c) => {
  await posts.deletePost(c.var.em, c.var.user, c.req.valid('param').post_id)
  return c.body(null, 204)
}
