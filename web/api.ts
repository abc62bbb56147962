import { createApiClient } from '../client/index.js'
import { refreshOnUnauthorized } from './refresh.js'
import { getToken } from './token.js'

/** The pages' client id: the token route keeps their refresh token in an HttpOnly cookie. */
export const WEB_CLIENT = 'web'

const baseUrl = window.location.origin

/** For the token route, which must never get a bearer token or be refreshed itself. */
export const tokenApi = createApiClient({ baseUrl })

/** A new access token from the refresh cookie (sent with same-origin requests); null when refused. */
async function refreshAccessToken(): Promise<string | null> {
  const { data, response } = await tokenApi.POST('/api/users/token', {
    body: { grant_type: 'refresh_token', client_id: WEB_CLIENT },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    credentials: 'same-origin',
  })
  if (data) return data.access_token
  if (response.status === 401) return null
  // Busy or limited: the session may well live; the request fails as one that got no answer.
  throw new Error(`The token refresh answered ${response.status}`)
}

function goToLogin(): void {
  if (window.location.pathname !== '/login') window.location.replace('/login')
}

/**
 * The one API client of the site. An access token the API rejects is refreshed and the request
 * sent again; when the session is over, the token is dropped and the visitor sent to /login.
 */
export const api = createApiClient({ baseUrl, getToken })
api.use(refreshOnUnauthorized(refreshAccessToken, goToLogin))
