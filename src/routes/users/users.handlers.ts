import { hashPassword } from '../../auth/passwords.js'
import { Post, User } from '../../db/entities/index.js'
import { ApiError } from '../../http/errors.js'
import type { AppRouteHandler } from '../../http/router.js'
import { findPostPage } from '../posts/posts.queries.js'
import { assertAvailable, findUserOr404, flushUser } from './users.queries.js'
import type * as routes from './users.routes.js'
import { toUserPrivate, toUserPublic } from './users.schemas.js'

// As in the model app, ownership is checked before existence: another user's id is a 403
// whether or not that account exists.
function assertSelf(targetId: number, callerId: number, action: 'update' | 'delete'): void {
  if (targetId !== callerId) throw new ApiError(403, `Not authorized to ${action} this user`)
}

export const createUser: AppRouteHandler<typeof routes.createUser> = async (c) => {
  const { em } = c.var
  const { username, password } = c.req.valid('json')
  const email = c.req.valid('json').email.toLowerCase()
  await assertAvailable(em, { username, email })
  const user = em.create(User, { username, email, passwordHash: await hashPassword(password) })
  await flushUser(em)
  return c.json(toUserPrivate(user), 201)
}

export const getCurrentUser: AppRouteHandler<typeof routes.getCurrentUser> = async (c) => {
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(c.var.user), 200)
}

export const getUser: AppRouteHandler<typeof routes.getUser> = async (c) => {
  const user = await findUserOr404(c.var.em, c.req.valid('param').user_id)
  return c.json(toUserPublic(user), 200)
}

export const listUserPosts: AppRouteHandler<typeof routes.listUserPosts> = async (c) => {
  const { em } = c.var
  const user = await findUserOr404(em, c.req.valid('param').user_id)
  return c.json(await findPostPage(em, { author: user }, c.req.valid('query')), 200)
}

export const updateUser: AppRouteHandler<typeof routes.updateUser> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user.id, 'update')
  const changes = c.req.valid('json')
  const email = changes.email?.toLowerCase()
  await assertAvailable(em, { username: changes.username, email }, user.id)
  em.assign(user, {
    ...(changes.username !== undefined && { username: changes.username }),
    ...(email !== undefined && { email }),
    ...(changes.image_file !== undefined && { imageFile: changes.image_file }),
  })
  await flushUser(em)
  return c.json(toUserPrivate(user), 200)
}

export const deleteUser: AppRouteHandler<typeof routes.deleteUser> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user.id, 'delete')
  await em.transactional(async (tx) => {
    await tx.nativeDelete(Post, { author: user.id })
    await tx.nativeDelete(User, { id: user.id })
  })
  return c.body(null, 204)
}
