import type { AppRouteHandler } from '../../lib/router.js'
import type * as routes from './two-factor.routes.js'
import * as twoFactor from './two-factor.service.js'

export const startTwoFactor: AppRouteHandler<typeof routes.startTwoFactor> = async (c) => {
  const { password } = c.req.valid('json')
  const enrolment = await twoFactor.startEnrolment(c.var.em, c.var, c.var.user, password)
  c.header('Cache-Control', 'no-store')
  return c.json({ secret: enrolment.secret, otpauth_uri: enrolment.uri, qr_svg: enrolment.qrSvg }, 200)
}

export const confirmTwoFactor: AppRouteHandler<typeof routes.confirmTwoFactor> = async (c) => {
  const { code } = c.req.valid('json')
  const codes = await twoFactor.confirmEnrolment(c.var.em, c.var, c.var.user, code)
  c.header('Cache-Control', 'no-store')
  return c.json({ recovery_codes: codes }, 200)
}

export const disableTwoFactor: AppRouteHandler<typeof routes.disableTwoFactor> = async (c) => {
  await twoFactor.disable(c.var.em, c.var, c.var.user, c.req.valid('json'))
  return c.body(null, 204)
}

export const regenerateRecoveryCodes: AppRouteHandler<typeof routes.regenerateRecoveryCodes> = async (c) => {
  const codes = await twoFactor.regenerateRecoveryCodes(c.var.em, c.var, c.var.user, c.req.valid('json'))
  c.header('Cache-Control', 'no-store')
  return c.json({ recovery_codes: codes }, 200)
}
