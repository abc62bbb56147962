import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

/**
 * The site's pages never see their refresh token: for the `web` client the token route keeps it
 * in this cookie, HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it)
 * and sent to the token route only. Sign-out ends the session by its access token and clears it.
 */
export const WEB_CLIENT_ID = 'web'
export const REFRESH_COOKIE = 'refresh_token'
export const REFRESH_COOKIE_PATH = '/api/users/token'

export function setRefreshCookie(c: Context, token: string, expiresAt: Date, secure: boolean): void {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: REFRESH_COOKIE_PATH,
    expires: expiresAt,
  })
}

export const readRefreshCookie = (c: Context): string | undefined => getCookie(c, REFRESH_COOKIE)

export function clearRefreshCookie(c: Context, secure: boolean): void {
  deleteCookie(c, REFRESH_COOKIE, { httpOnly: true, sameSite: 'Strict', secure, path: REFRESH_COOKIE_PATH })
}

export const refreshCookieHeader = {
  'Set-Cookie': {
    schema: { type: 'string' },
    description: `For client_id=${WEB_CLIENT_ID}: the \`${REFRESH_COOKIE}\` cookie (HttpOnly; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Secure when PUBLIC_URL is https)`,
  },
} as const
