import { errorMessage, type UserPrivate } from '../client/index.js'
import { api, tokenApi, WEB_CLIENT } from './api.js'
import { getToken, removeToken, setToken } from './token.js'

// The current user as one promise per token: concurrent callers share the request, later callers
// get the cached answer, and a new or removed token (see api.ts) makes the next call ask again.
let session: { token: string; user: Promise<UserPrivate | null> } | undefined

/** The signed-in user, or null; fetched from /api/users/me once per page. */
export function getCurrentUser(): Promise<UserPrivate | null> {
  const token = getToken()
  if (!token) return Promise.resolve(null)
  if (session?.token !== token) session = { token, user: fetchCurrentUser(token) }
  return session.user
}

async function fetchCurrentUser(token: string): Promise<UserPrivate | null> {
  try {
    const { data } = await api.GET('/api/users/me')
    return data ?? null
  } catch {
    // No answer at all: signed out on this page, but the token is kept for the next one.
    if (session?.token === token) session = undefined
    return null
  }
}

/** After the account changed, so the navbar and the next callers see the new values. */
export function setCurrentUser(user: UserPrivate): void {
  const token = getToken()
  if (token) session = { token, user: Promise.resolve(user) }
}

/** The signed-in user; a visitor who is signed out is sent to /login (and undefined returned). */
export async function currentUserOrLogin(): Promise<UserPrivate | undefined> {
  const user = await getCurrentUser()
  if (!user) window.location.replace('/login')
  return user ?? undefined
}

/**
 * Logs in with email and password; returns the API's message when that fails. The session's
 * refresh token comes as an HttpOnly cookie, out of reach of any script.
 */
export async function signIn(email: string, password: string): Promise<string | undefined> {
  // Whoever was signed in before is not any more.
  forgetSignIn()
  const { data, error } = await tokenApi.POST('/api/users/token', {
    body: { username: email, password, client_id: WEB_CLIENT },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  if (!data) return errorMessage(error)
  setToken(data.access_token)
  return undefined
}

/** Signs out on this page only, as when the account is gone. */
export function forgetSignIn(): void {
  removeToken()
  session = undefined
}

/** Ends the session on the server (its tokens stop working everywhere), then on this page. */
export async function signOut(): Promise<void> {
  // Signed out on this page all the same when the server cannot be reached.
  await api.POST('/api/users/logout').catch(() => undefined)
  forgetSignIn()
}
