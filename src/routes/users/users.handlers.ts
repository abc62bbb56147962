import { AppError } from '../../http/errors.js'
import type { AppRouteHandler } from '../../lib/router.js'
import { assertSelf, toUserPrivate, toUserPublic } from '../../lib/users.js'
import type * as routes from './users.routes.js'
import { readProfile } from './users.reads.js'
import * as users from './users.service.js'
import * as verification from './email-verification.service.js'
import { VERIFICATION_SENT } from './users.schemas.js'

export const createUser: AppRouteHandler<typeof routes.createUser> = async (c) => {
  const user = await users.createUser(c.var.em, c.var, c.req.valid('json'))
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(user), 201)
}

export const getCurrentUser: AppRouteHandler<typeof routes.getCurrentUser> = async (c) => {
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(c.var.user), 200)
}

export const getUser: AppRouteHandler<typeof routes.getUser> = async (c) => {
  const user = await readProfile(c.var.em, c.req.valid('param').user_id)
  if (!user) throw new AppError('user_not_found')
  return c.json(toUserPublic(user), 200)
}

export const updateUser: AppRouteHandler<typeof routes.updateUser> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user, 'update')
  const { username, email, image_file: imageFile, current_password: currentPassword } = c.req.valid('json')
  await users.updateUser(em, c.var, user, { username, email, imageFile, currentPassword })
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(user), 200)
}

export const deleteUser: AppRouteHandler<typeof routes.deleteUser> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user, 'delete')
  await users.deleteUser(em, user)
  return c.body(null, 204)
}

export const verifyEmail: AppRouteHandler<typeof routes.verifyEmail> = async (c) => {
  await verification.verifyEmail(c.var.em, c.var, c.req.valid('json').token)
  return c.body(null, 204)
}

export const sendVerificationEmail: AppRouteHandler<typeof routes.sendVerificationEmail> = async (c) => {
  await verification.sendVerificationLink(c.var.em, c.var, c.var.user)
  return c.json({ detail: VERIFICATION_SENT }, 202)
}
