import { errorMessage, type paths, type UserPrivate } from '../client/index.js'
import { api, tokenApi, WEB_CLIENT } from './api.js'
import { passkeyFailure, usePasskey } from './passkeys.js'
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

type TokenForm = NonNullable<paths['/api/users/token']['post']['requestBody']>['content']['application/x-www-form-urlencoded']

/**
 * How a sign-in step ended: signed in, a second factor to give for `mfaToken`, or the API's (or
 * the browser's) message; `quiet` when it failed before the user picked a passkey from the
 * autofill, which nobody asked for and so has nothing to say.
 */
export type SignInStep = { signedIn: true } | { mfaToken: string } | { failure: string; quiet?: true }

/** Asks the token route as the `web` client: the session's refresh token comes as an HttpOnly cookie, out of reach of any script. */
async function askForTokens(form: TokenForm): Promise<SignInStep> {
  const { data, error } = await tokenApi.POST('/api/users/token', {
    body: { ...form, client_id: WEB_CLIENT },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  if (data) {
    setToken(data.access_token)
    return { signedIn: true }
  }
  // Only the 401 of an account with two factors carries one.
  const mfaToken = error && 'mfa_token' in error ? error.mfa_token : undefined
  return mfaToken ? { mfaToken } : { failure: errorMessage(error) }
}

/** The password step; an account with two factors then needs signInWithSecondFactor. */
export function signInWithPassword(email: string, password: string): Promise<SignInStep> {
  // Whoever was signed in before is not any more.
  forgetSignIn()
  return askForTokens({ username: email, password })
}

/** The second step: a code of the authenticator app, or a recovery code, for the password step's `mfaToken`. */
export function signInWithSecondFactor(mfaToken: string, code: { otp: string } | { recoveryCode: string }): Promise<SignInStep> {
  const grant = 'otp' in code ? { grant_type: 'mfa_otp' as const, otp: code.otp } : { grant_type: 'mfa_recovery_code' as const, recovery_code: code.recoveryCode }
  return askForTokens({ ...grant, mfa_token: mfaToken })
}

/**
 * Signs in with a passkey the browser picks (a discoverable one: no email needed), as the `web`
 * client. With `autofill`, the browser waits until one is picked from the email field's
 * suggestions; a cancelled or refused prompt is a failure in words.
 */
export async function signInWithPasskey(autofill = false): Promise<SignInStep> {
  const quiet = autofill ? ({ quiet: true } as const) : {}
  const options = await tokenApi.POST('/api/users/passkey-login/options')
  if (!options.data) return { failure: errorMessage(options.error), ...quiet }
  let response
  try {
    response = await usePasskey(options.data, autofill)
  } catch (error) {
    return { failure: passkeyFailure(error), ...quiet }
  }
  forgetSignIn()
  const { data, error } = await tokenApi.POST('/api/users/passkey-login', { body: { response, client_id: WEB_CLIENT } })
  if (!data) return { failure: errorMessage(error) }
  setToken(data.access_token)
  return { signedIn: true }
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
