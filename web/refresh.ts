import type { Middleware } from 'openapi-fetch'
import { getToken, removeToken, setToken } from './token.js'

/** A new access token from the session's refresh cookie; null when the session is over. */
export type Refresh = () => Promise<string | null>

// The web lock's name: tabs of the site take turns to refresh, as the rotation of a refresh
// token lets only one of them win.
const REFRESH_LOCK = 'blog-refresh'

/**
 * Where the tab that refreshed leaves the new token for the tabs that waited for the lock: their
 * localStorage may not show its write yet (Chromium copies it to other tabs asynchronously), while
 * a cache entry written before the lock is released is there for the next holder to read.
 */
const HANDOFF_URL = '/refresh-handoff'

interface Handoff {
  replaced: string
  token: string
}

async function handOn(handoff: Handoff): Promise<void> {
  const cache = await caches.open(REFRESH_LOCK)
  await cache.put(HANDOFF_URL, Response.json(handoff))
}

async function handedOn(failed: string): Promise<string | undefined> {
  const cache = await caches.open(REFRESH_LOCK)
  const handoff = (await (await cache.match(HANDOFF_URL))?.json()) as Handoff | undefined
  return handoff?.replaced === failed ? handoff.token : undefined
}

/** Refreshes unless the token that failed was replaced meanwhile; stores the outcome. */
async function renewHere(failed: string, refresh: Refresh): Promise<string | null> {
  const stored = getToken()
  if (stored !== failed) return stored
  const token = await refresh()
  if (token) {
    setToken(token)
    return token
  }
  // Without web locks another tab may have won a refresh with the same cookie: its token is good.
  const latest = getToken()
  if (latest !== failed) return latest
  removeToken()
  return null
}

/** renewHere, holding the lock that tabs take turns with (Web Locks exist in secure contexts only). */
async function renewAcrossTabs(failed: string, refresh: Refresh): Promise<string | null> {
  return navigator.locks.request(REFRESH_LOCK, async () => {
    // A failure of the cache costs a second refresh, nothing more.
    const handed = await handedOn(failed).catch(() => undefined)
    if (handed && getToken() === failed) setToken(handed)
    const token = await renewHere(failed, refresh)
    if (token && !handed) await handOn({ replaced: failed, token }).catch(() => undefined)
    return token
  })
}

let inFlight: Promise<string | null> | undefined

/** The access token to use in place of `failed`: one refresh at a time, its callers share it. */
function renew(failed: string, refresh: Refresh): Promise<string | null> {
  inFlight ??= ('locks' in navigator ? renewAcrossTabs(failed, refresh) : renewHere(failed, refresh)).finally(
    () => (inFlight = undefined),
  )
  return inFlight
}

const bearerToken = (request: Request) => request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? ''

/**
 * When a request with a bearer token answers 401, gets a new access token once (see renew) and
 * sends the request again with it; when the session is over, `onSignedOut` is called and the
 * 401 answered. Registered after the middleware that sets the token, so it sees the header.
 */
export function refreshOnUnauthorized(refresh: Refresh, onSignedOut: () => void): Middleware {
  // A copy of each bearer request, by openapi-fetch's request id: a body once sent cannot be sent again.
  const copies = new Map<string, Request>()
  return {
    onRequest({ request, id }) {
      if (request.headers.has('Authorization')) copies.set(id, request.clone())
      return undefined
    },
    async onResponse({ response, id, options }) {
      const copy = copies.get(id)
      copies.delete(id)
      if (response.status !== 401 || !copy) return response
      const token = await renew(bearerToken(copy), refresh)
      if (!token) {
        onSignedOut()
        return response
      }
      copy.headers.set('Authorization', `Bearer ${token}`)
      // Called as a method of `options`, the browser's fetch would throw "Illegal invocation".
      const { fetch } = options
      return fetch(copy)
    },
    onError({ id }) {
      copies.delete(id)
      return undefined
    },
  }
}
