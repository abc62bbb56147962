import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { IssuedSession } from '../auth/sessions.js'
import type { AppEnv } from './app-env.js'
import { setRefreshCookie, WEB_CLIENT_ID } from './refresh-cookie.js'

export const TokenSchema = z
  .object({
    access_token: z.string().openapi({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' }),
    token_type: z.literal('bearer'),
    expires_in: z.int().openapi({ description: 'Seconds the access token is valid for', example: 1800 }),
    refresh_token: z.string().optional().openapi({
      description: `Trades for a new pair once (grant_type=refresh_token); shown only here. Absent for client_id=${WEB_CLIENT_ID}: the cookie holds it`,
      example: 'oQ3tS9bV1xZ7kL2mN5pR8w.h4Jd8sLk2Qw9Er5Ty7Ui1Op3As6Df8Gh0Jk2Lz4Xc6V',
    }),
  })
  .openapi('Token')

/**
 * What every sign-in answers for a session just started or refreshed (RFC 6749 5.1): an access
 * token naming the session, and its refresh token, which for the `web` client goes in the
 * HttpOnly cookie instead of the body.
 */
export async function tokenAnswer(c: Context<AppEnv>, issued: IssuedSession, clientId: string | undefined): Promise<z.infer<typeof TokenSchema>> {
  const { tokens, sessions } = c.var
  const web = clientId === WEB_CLIENT_ID
  const accessToken = await tokens.issue({ userId: issued.userId, sessionId: issued.sessionId })
  if (web) setRefreshCookie(c, issued.refreshToken, issued.expiresAt, sessions.secureCookie)
  c.header('Cache-Control', 'no-store')
  return {
    access_token: accessToken,
    token_type: 'bearer' as const,
    expires_in: tokens.lifetimeSeconds,
    ...(!web && { refresh_token: issued.refreshToken }),
  }
}
