import { endSession as end, endSessions, listSessions as list } from '../../auth/sessions.js'
import { AppError } from '../../http/errors.js'
import { clearRefreshCookie } from '../../lib/refresh-cookie.js'
import type { AppRouteHandler } from '../../lib/router.js'
import type * as routes from './sessions.routes.js'
import { toSessionResponse } from './sessions.schemas.js'

export const logout: AppRouteHandler<typeof routes.logout> = async (c) => {
  await end(c.var.em, c.var.user.id, c.var.sessionId)
  clearRefreshCookie(c, c.var.sessions.secureCookie)
  return c.body(null, 204)
}

export const listSessions: AppRouteHandler<typeof routes.listSessions> = async (c) => {
  const sessions = await list(c.var.em, c.var.user.id)
  c.header('Cache-Control', 'no-store')
  return c.json(
    sessions.map((session) => toSessionResponse(session, c.var.sessionId)),
    200,
  )
}

export const endOtherSessions: AppRouteHandler<typeof routes.endOtherSessions> = async (c) => {
  await endSessions(c.var.em, c.var.user.id, c.var.sessionId)
  return c.body(null, 204)
}

export const endSession: AppRouteHandler<typeof routes.endSession> = async (c) => {
  const { session_id } = c.req.valid('param')
  if (!(await end(c.var.em, c.var.user.id, session_id))) throw new AppError('session_not_found')
  return c.body(null, 204)
}
