import { SERVICE_UNAVAILABLE } from '../../http/error-handler.js'
import type { AppRouteHandler } from '../router.js'
import type * as routes from './health.routes.js'

export const getHealth: AppRouteHandler<typeof routes.getHealth> = (c) => {
  return c.json({ status: 'ok' as const }, 200)
}

export const getReadiness: AppRouteHandler<typeof routes.getReadiness> = async (c) => {
  const { ok } = await c.var.em.getConnection().checkConnection()
  c.header('Cache-Control', 'no-store')
  return ok ? c.json({ status: 'ok' as const }, 200) : c.json({ detail: SERVICE_UNAVAILABLE }, 503)
}
