import type { AppRouteHandler } from '../../lib/router.js'
import { tokenAnswer } from '../../lib/token-answer.js'
import * as login from './passkey-login.service.js'
import type * as routes from './passkeys.routes.js'
import { toPasskeyResponse } from './passkeys.schemas.js'
import * as passkeys from './passkeys.service.js'

export const registrationOptions: AppRouteHandler<typeof routes.registrationOptions> = async (c) => {
  const options = await passkeys.registrationOptions(c.var.em, c.var.passkeys, c.var.user)
  c.header('Cache-Control', 'no-store')
  return c.json(options, 200)
}

export const addPasskey: AppRouteHandler<typeof routes.addPasskey> = async (c) => {
  const { name, response } = c.req.valid('json')
  // The schema checked the shape; what the parts hold is the library's to verify.
  const added = await passkeys.addPasskey(c.var.em, c.var, c.var.user, name, response as Parameters<typeof passkeys.addPasskey>[4])
  return c.json(toPasskeyResponse(added), 201)
}

export const listPasskeys: AppRouteHandler<typeof routes.listPasskeys> = async (c) => {
  const found = await passkeys.listPasskeys(c.var.em, c.var.user.id)
  c.header('Cache-Control', 'no-store')
  return c.json(found.map(toPasskeyResponse), 200)
}

export const renamePasskey: AppRouteHandler<typeof routes.renamePasskey> = async (c) => {
  const { passkey_id } = c.req.valid('param')
  const renamed = await passkeys.renamePasskey(c.var.em, c.var.user.id, passkey_id, c.req.valid('json').name)
  return c.json(toPasskeyResponse(renamed), 200)
}

export const removePasskey: AppRouteHandler<typeof routes.removePasskey> = async (c) => {
  await passkeys.removePasskey(c.var.em, c.var, c.var.user, c.req.valid('param').passkey_id)
  return c.body(null, 204)
}

export const loginOptions: AppRouteHandler<typeof routes.loginOptions> = async (c) => {
  const options = await login.loginOptions(c.var.em, c.var)
  c.header('Cache-Control', 'no-store')
  return c.json(options, 200)
}

export const passkeyLogin: AppRouteHandler<typeof routes.login> = async (c) => {
  const { response, client_id } = c.req.valid('json')
  const issued = await login.loginWithPasskey(c.var.em, c.var, response as Parameters<typeof login.loginWithPasskey>[2], c.req.header('User-Agent'))
  return c.json(await tokenAnswer(c, issued, client_id), 200)
}
