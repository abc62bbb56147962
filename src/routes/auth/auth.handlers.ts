import type { AppRouteHandler } from '../../lib/router.js'
import { readRefreshCookie, WEB_CLIENT_ID } from '../../lib/refresh-cookie.js'
import { tokenAnswer } from '../../lib/token-answer.js'
import type * as routes from './auth.routes.js'
import * as auth from './auth.service.js'
import * as reset from './password-reset.service.js'

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { em } = c.var
  const grant = c.req.valid('form')
  const userAgent = c.req.header('User-Agent')
  // `emailKey` is the username's key: every spelling of one address (case, full-width) finds one
  // account and counts against one limit.
  const issued =
    grant.grantType === 'password'
      ? await auth.login(em, c.var, grant.emailKey, grant.password, userAgent)
      : grant.grantType === 'mfa'
        ? await auth.loginWithSecondFactor(em, c.var, grant.mfaToken, grant.code, userAgent)
        : await auth.refresh(em, c.var, grant.clientId === WEB_CLIENT_ID ? readRefreshCookie(c) : grant.refreshToken, userAgent)
  return c.json(await tokenAnswer(c, issued, grant.clientId), 200)
}

export const changePassword: AppRouteHandler<typeof routes.changePassword> = async (c) => {
  const { current_password, new_password } = c.req.valid('json')
  await auth.changePassword(c.var.em, c.var, c.var.user, { password: current_password, newPassword: new_password }, c.var.sessionId)
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
