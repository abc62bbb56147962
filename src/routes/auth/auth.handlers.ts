import { passwordVersion } from '../../auth/tokens.js'
import type { AppRouteHandler } from '../../lib/router.js'
import type * as routes from './auth.routes.js'
import * as auth from './auth.service.js'
import * as reset from './password-reset.service.js'

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { em, tokens } = c.var
  // `username` holds the email's key: every spelling of one address (case, full-width) finds one
  // account and counts against one limit.
  const { username: emailKey, password } = c.req.valid('form')
  const user = await auth.login(em, c.var, emailKey, password)
  const accessToken = await tokens.issue({ userId: user.id, passwordVersion: passwordVersion(user.passwordChangedAt) })
  c.header('Cache-Control', 'no-store')
  return c.json({ access_token: accessToken, token_type: 'bearer' as const }, 200)
}

export const changePassword: AppRouteHandler<typeof routes.changePassword> = async (c) => {
  const { current_password, new_password } = c.req.valid('json')
  await auth.changePassword(c.var.em, c.var, c.var.user, { password: current_password, newPassword: new_password })
  return c.body(null, 204)
}

export const forgotPassword: AppRouteHandler<typeof routes.forgotPassword> = async (c) => {
  const { email } = c.req.valid('json')
  await reset.forgotPassword(c.var.em, c.var, email.key)
  return c.json({ detail: reset.RESET_REQUESTED }, 202)
}

export const resetPassword: AppRouteHandler<typeof routes.resetPassword> = async (c) => {
  const { token, new_password } = c.req.valid('json')
  await reset.resetPassword(c.var.em, c.var, token, new_password)
  return c.body(null, 204)
}
