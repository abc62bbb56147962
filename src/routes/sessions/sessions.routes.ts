import { authenticated, errorResponse, jsonResponse, noStoreHeader } from '../../lib/route-helpers.js'
import { refreshCookieHeader } from '../../lib/refresh-cookie.js'
import { SessionIdParams, SessionListSchema } from './sessions.schemas.js'

const tags = ['sessions']

export const logout = authenticated({
  method: 'post',
  path: '/api/users/logout',
  operationId: 'logout',
  tags,
  summary: 'Sign out: end this session everywhere',
  description: "Its access token is refused from now on, on every instance, and so is its refresh token. Clears the pages' refresh cookie.",
  responses: {
    204: { description: 'Signed out', headers: refreshCookieHeader },
  },
})

export const listSessions = authenticated({
  method: 'get',
  path: '/api/users/me/sessions',
  operationId: 'listSessions',
  tags,
  summary: "Where you're signed in: your live sessions, newest first",
  responses: {
    200: { ...jsonResponse(SessionListSchema, 'Your sessions; `current` marks this one'), headers: noStoreHeader },
  },
})

export const endOtherSessions = authenticated({
  method: 'delete',
  path: '/api/users/me/sessions',
  operationId: 'endOtherSessions',
  tags,
  summary: 'Sign out everywhere else: end every session but this one',
  responses: {
    204: { description: 'Every other session ended' },
  },
})

export const endSession = authenticated({
  method: 'delete',
  path: '/api/users/me/sessions/{session_id}',
  operationId: 'endSession',
  tags,
  summary: 'End one of your sessions',
  description: "Its tokens stop working at once. Another user's session, like one that does not exist, is a 404.",
  request: { params: SessionIdParams },
  responses: {
    204: { description: 'Ended' },
    404: errorResponse('session_not_found'),
  },
})
