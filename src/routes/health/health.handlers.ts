import { AppError } from '../../http/errors.js'
import type { AppRouteHandler } from '../../lib/router.js'
import type * as routes from './health.routes.js'

export const getHealth: AppRouteHandler<typeof routes.getHealth> = (c) => {
  return c.json({ status: 'ok' as const }, 200)
}

export const getReadiness: AppRouteHandler<typeof routes.getReadiness> = async (c) => {
  const { ok } = await c.var.em.getConnection().checkConnection()
  c.header('Cache-Control', 'no-store')
  if (!ok) throw new AppError('service_unavailable')
  return c.json({ status: 'ok' as const }, 200)
}
