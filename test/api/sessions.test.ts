import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { purgeExpiredSessions, REUSE_GRACE_MS } from '../../src/auth/sessions.js'
import { RefreshToken, Session } from '../../src/db/entities/index.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { bearer, createTestContext, json, type TestContext } from '../support/context.js'
import { resetLink, startMailServer, subjectOf, type MailServer, type ReceivedMail } from '../support/mail.js'
import { newUser, register, signUp, type NewUser } from '../support/users.js'

// Sessions (issue 20), attacked from the outside: every rule is tried the way a thief, a forger
// or a careless client would. The main context keeps short session lifetimes (2 days idle, 3 at
// most) and long access tokens (4 days), so a fake clock can end a session while its access
// token is still valid by its own claims: only the session can then be what refuses it.
// Sessions are under test, not password hashing.
useCheapArgon2()

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const ACCESS_MINUTES = 4 * 24 * 60
const DAY = 24 * 60 * 60_000
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const INVALID_REFRESH = { detail: 'Invalid or expired refresh token' }
const INVALID_TOKEN = { detail: 'Invalid or expired token' }

interface Pair {
  access: string
  refresh: string
  sid: string
}

const sidOf = (access: string) => decodeJwt(access).sid as string

/** The token route's form, as a browser or an OAuth2 client posts it. */
function tokenRequest(ctx: TestContext, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return ctx.fetch('/api/users/token', { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(fields) })
}

async function pairOf(response: Response): Promise<Pair> {
  const body = (await response.json()) as { access_token: string; refresh_token: string }
  expect(response.status, JSON.stringify(body)).toBe(200)
  return { access: body.access_token, refresh: body.refresh_token, sid: sidOf(body.access_token) }
}

const signIn = async (ctx: TestContext, user: NewUser, headers: Record<string, string> = {}) =>
  pairOf(await tokenRequest(ctx, { username: user.email, password: user.password }, headers))

const refreshWith = (ctx: TestContext, token: string, headers: Record<string, string> = {}) =>
  tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: token }, headers)

/** Asserts the refresh token is refused as the route refuses every token that does not work. */
async function expectRefused(ctx: TestContext, token: string) {
  const response = await refreshWith(ctx, token)
  expect(response.status).toBe(401)
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  expect(await response.json()).toEqual(INVALID_REFRESH)
}

const meStatus = async (ctx: TestContext, access: string) => (await ctx.fetch('/api/users/me', { headers: bearer(access) })).status

async function expectAccessRefused(ctx: TestContext, access: string) {
  const response = await ctx.fetch('/api/users/me', { headers: bearer(access) })
  expect(response.status).toBe(401)
  expect(await response.json()).toEqual(INVALID_TOKEN)
}

/** A session that still works: its access token is accepted and its refresh token trades for a new pair. */
async function expectLive(ctx: TestContext, pair: Pair): Promise<Pair> {
  expect(await meStatus(ctx, pair.access)).toBe(200)
  const next = await pairOf(await refreshWith(ctx, pair.refresh))
  expect(next.sid).toBe(pair.sid)
  return next
}

/** A session that ended: neither its access token nor its refresh token works. */
async function expectEnded(ctx: TestContext, pair: Pair) {
  await expectAccessRefused(ctx, pair.access)
  await expectRefused(ctx, pair.refresh)
}

interface SessionView {
  id: string
  created_at: string
  last_used_at: string
  expires_at: string
  client_address: string
  device: string
  current: boolean
}

async function sessionsOf(ctx: TestContext, access: string): Promise<SessionView[]> {
  const response = await ctx.fetch('/api/users/me/sessions', { headers: bearer(access) })
  expect(response.status).toBe(200)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  return (await response.json()) as SessionView[]
}

const fakeClock = (at: number) => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('sessions', () => {
  let ctx: TestContext
  let mail: MailServer

  beforeAll(async () => {
    mail = await startMailServer()
    ctx = await createTestContext({
      env: {
        REFRESH_TOKEN_EXPIRE_DAYS: '2',
        SESSION_MAX_DAYS: '3',
        ACCESS_TOKEN_EXPIRE_MINUTES: String(ACCESS_MINUTES),
        // The forgeries below fail many refreshes from the one in-process address; the limit has
        // its own tests further down.
        LOGIN_MAX_FAILURES_PER_CLIENT: '100000',
        SMTP_URL: mail.url,
      },
    })
  })

  // Not outbox.idle(): a mail claimed or retried while a test's clock was days ahead is due
  // only then, and mail is not under test here. close() lets a send in flight finish.
  afterAll(async () => {
    await ctx?.close()
    await mail?.stop()
  })

  /** A registered user, not signed in. */
  async function account(): Promise<NewUser & { id: number }> {
    const input = newUser()
    const user = await register(ctx, input)
    return { ...input, id: user.id }
  }

  describe('sign in and refresh', () => {
    it('answers an RFC 6749 token with a refresh token, not to be cached, whose access token names the session listed', async () => {
      const alice = await account()
      const response = await tokenRequest(ctx, { username: alice.email, password: alice.password })
      expect(response.status).toBe(200)
      expect(response.headers.get('Cache-Control')).toBe('no-store')
      expect(response.headers.get('Set-Cookie')).toBeNull()
      const body = (await response.json()) as Record<string, unknown>
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type'])
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: ACCESS_MINUTES * 60 })
      expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
      const access = body.access_token as string
      const claims = decodeJwt(access)
      expect(claims.sub).toBe(String(alice.id))
      expect(claims.exp! - claims.iat!).toBe(ACCESS_MINUTES * 60)
      const [listed] = await sessionsOf(ctx, access)
      expect(listed).toMatchObject({ id: claims.sid, current: true })
    })

    it('trades a refresh token for a new pair of the same session once: the old refresh token then fails, both access tokens work', async () => {
      const alice = await account()
      const start = Date.now()
      fakeClock(start)
      const first = await signIn(ctx, alice)
      // A JWT's times are in seconds: one issued in the same second for the same session would
      // be the same token.
      vi.setSystemTime(start + 2000)
      const response = await refreshWith(ctx, first.refresh)
      expect(response.headers.get('Cache-Control')).toBe('no-store')
      const second = await pairOf(response)
      expect(second.sid).toBe(first.sid)
      expect(second.refresh).not.toBe(first.refresh)
      expect(second.access).not.toBe(first.access)
      await expectRefused(ctx, first.refresh)
      expect(await meStatus(ctx, second.access)).toBe(200)
      // The documented rule: an access token lives as long as its session, and a rotation does
      // not end the session (the tokens route: "a new pair of the same session"); only ending
      // the session ends an access token early.
      expect(await meStatus(ctx, first.access)).toBe(200)
      expect(await sessionsOf(ctx, second.access)).toHaveLength(1)
    })

    it('refuses a rotated-away token within the grace without ending the session (two tabs refreshing at once)', async () => {
      const alice = await account()
      const first = await signIn(ctx, alice)
      const second = await pairOf(await refreshWith(ctx, first.refresh))
      await expectRefused(ctx, first.refresh)
      // Still inside the grace at its very end.
      fakeClock(Date.now() + REUSE_GRACE_MS - 1000)
      await expectRefused(ctx, first.refresh)
      expect(await meStatus(ctx, first.access)).toBe(200)
      await expectLive(ctx, second)
    })

    it('ends the whole session when a rotated-away token comes back after the grace (a stolen copy)', async () => {
      const alice = await account()
      const first = await signIn(ctx, alice)
      const second = await pairOf(await refreshWith(ctx, first.refresh))
      fakeClock(Date.now() + REUSE_GRACE_MS + 1000)
      await expectRefused(ctx, first.refresh)
      // The thief's copy and the owner's newest tokens are all dead now.
      await expectEnded(ctx, second)
      await expectAccessRefused(ctx, first.access)
      expect(await ctx.orm.em.fork().count(Session, { id: first.sid })).toBe(0)
    })

    it('ends the session when a token two rotations old comes back late', async () => {
      const alice = await account()
      const first = await signIn(ctx, alice)
      const second = await pairOf(await refreshWith(ctx, first.refresh))
      const third = await pairOf(await refreshWith(ctx, second.refresh))
      fakeClock(Date.now() + REUSE_GRACE_MS + 1000)
      await expectRefused(ctx, first.refresh)
      await expectEnded(ctx, third)
    })

    it('gives exactly one new pair for five concurrent refreshes with one token, and the session lives', async () => {
      const alice = await account()
      const first = await signIn(ctx, alice)
      const answers = await Promise.all(Array.from({ length: 5 }, () => refreshWith(ctx, first.refresh)))
      const statuses = answers.map((answer) => answer.status).sort()
      expect(statuses).toEqual([200, 401, 401, 401, 401])
      for (const answer of answers.filter((a) => a.status === 401)) expect(await answer.json()).toEqual(INVALID_REFRESH)
      const winner = await pairOf(answers.find((answer) => answer.status === 200)!)
      expect(winner.sid).toBe(first.sid)
      await expectLive(ctx, winner)
      expect(await meStatus(ctx, first.access)).toBe(200)
    })
  })

  describe('lifetimes (REFRESH_TOKEN_EXPIRE_DAYS=2, SESSION_MAX_DAYS=3)', () => {
    it('ends a session left idle past the idle lifetime: its refresh and its access tokens are refused', async () => {
      const alice = await account()
      const start = Date.now()
      fakeClock(start)
      const pair = await signIn(ctx, alice)
      const [listed] = await sessionsOf(ctx, pair.access)
      expect(Date.parse(listed!.expires_at)).toBe(start + 2 * DAY)
      vi.setSystemTime(start + 2 * DAY + 1000)
      // The access token is well inside its own 4 days: only the session refuses it.
      await expectEnded(ctx, pair)
    })

    it('moves the idle expiry on with each refresh, up to the absolute lifetime', async () => {
      const alice = await account()
      const start = Date.now()
      fakeClock(start)
      const signedIn = await signIn(ctx, alice)
      vi.setSystemTime(start + 1.5 * DAY)
      const refreshed = await pairOf(await refreshWith(ctx, signedIn.refresh))
      // Two days from now would pass the three-day cap.
      const [listed] = await sessionsOf(ctx, refreshed.access)
      expect(Date.parse(listed!.expires_at)).toBe(start + 3 * DAY)
      expect(Date.parse(listed!.last_used_at)).toBe(start + 1.5 * DAY)
      // Past the first idle expiry, yet alive: the refresh moved it.
      vi.setSystemTime(start + 2.5 * DAY)
      const later = await pairOf(await refreshWith(ctx, refreshed.refresh))
      // Refreshed half a day ago, but three days old: over.
      vi.setSystemTime(start + 3 * DAY + 1000)
      await expectEnded(ctx, later)
      await expectAccessRefused(ctx, refreshed.access)
    })

    it('leaves expired sessions out of the list', async () => {
      const alice = await account()
      const start = Date.now()
      fakeClock(start)
      const old = await signIn(ctx, alice)
      vi.setSystemTime(start + 1.5 * DAY)
      const recent = await signIn(ctx, alice)
      vi.setSystemTime(start + 2 * DAY + 1000)
      expect((await sessionsOf(ctx, recent.access)).map((session) => session.id)).toEqual([recent.sid])
      expect(old.sid).not.toBe(recent.sid)
    })
  })

  describe('forged and malformed refresh tokens', () => {
    it('refuses every token that is not a live one with the same 401, and none of them ends a real session', async () => {
      const alice = await account()
      const bob = await account()
      let alicePair = await signIn(ctx, alice)
      const bobPair = await signIn(ctx, bob)
      const [aliceSelector, aliceVerifier] = alicePair.refresh.split('.') as [string, string]
      const [bobSelector] = bobPair.refresh.split('.') as [string, string]
      const randomVerifier = () => randomBytes(32).toString('base64url')
      const forgeries: Record<string, string> = {
        garbage: 'not a refresh token',
        'a JWT': alicePair.access,
        'the right shape, random bytes': `${randomBytes(16).toString('base64url')}.${randomVerifier()}`,
        "the real selector, a wrong verifier": `${aliceSelector}.${randomVerifier()}`,
        'the real selector, the verifier with one character changed': `${aliceSelector}.${aliceVerifier.slice(0, -1)}${aliceVerifier.endsWith('A') ? 'B' : 'A'}`,
        'the real selector alone': aliceSelector,
        'truncated by one character': alicePair.refresh.slice(0, -1),
        'with a character added': `${alicePair.refresh}A`,
        'with a space around it': ` ${alicePair.refresh}`,
        'the selector and verifier swapped': `${aliceVerifier}.${aliceSelector}`,
        "another user's selector with a changed verifier": `${bobSelector}.${randomVerifier()}`,
        "another user's selector with this user's verifier": `${bobSelector}.${aliceVerifier}`,
      }
      for (const [name, forged] of Object.entries(forgeries)) {
        const response = await refreshWith(ctx, forged)
        expect(response.status, name).toBe(401)
        expect(await response.json(), name).toEqual(INVALID_REFRESH)
      }
      alicePair = await expectLive(ctx, alicePair)
      await expectLive(ctx, bobPair)
    })

    it('does not end a session for a rotated-away selector with a wrong verifier after the grace: only the real token proves a theft', async () => {
      const alice = await account()
      const first = await signIn(ctx, alice)
      const second = await pairOf(await refreshWith(ctx, first.refresh))
      fakeClock(Date.now() + REUSE_GRACE_MS + 1000)
      const [oldSelector] = first.refresh.split('.') as [string, string]
      await expectRefused(ctx, `${oldSelector}.${randomBytes(32).toString('base64url')}`)
      await expectLive(ctx, second)
    })

    it('answers 422 for a refresh grant without a refresh token, an empty one, a password grant without credentials and an unknown grant', async () => {
      const missing = (field: string) => ({ loc: ['body', field], msg: 'Field required', type: 'missing' })
      const noToken = await tokenRequest(ctx, { grant_type: 'refresh_token' })
      expect(noToken.status).toBe(422)
      expect(await noToken.json()).toEqual({ detail: [missing('refresh_token')] })

      const empty = await tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: '' })
      expect(empty.status).toBe(422)
      expect((await empty.json()).detail[0].loc).toEqual(['body', 'refresh_token'])

      // A refresh token does not stand in for the password grant's fields.
      const alice = await account()
      const pair = await signIn(ctx, alice)
      for (const grant of [{ grant_type: 'password' }, { refresh_token: pair.refresh }] as Record<string, string>[]) {
        const noCredentials = await tokenRequest(ctx, grant)
        expect(noCredentials.status).toBe(422)
        expect(await noCredentials.json()).toEqual({ detail: [missing('username'), missing('password')] })
      }

      for (const grantType of ['client_credentials', 'REFRESH_TOKEN', 'authorization_code']) {
        const unknown = await tokenRequest(ctx, { grant_type: grantType, refresh_token: pair.refresh, username: alice.email, password: alice.password })
        expect(unknown.status, grantType).toBe(422)
        expect((await unknown.json()).detail.map((error: { loc: string[] }) => error.loc), grantType).toEqual([['body', 'grant_type']])
      }
      // None of them used the token.
      await expectLive(ctx, pair)
    })
  })

  describe('the pages’ client (client_id=web)', () => {
    const cookieOf = (response: Response) => {
      const header = response.headers.get('Set-Cookie') ?? ''
      const value = /^refresh_token=([^;]*)/.exec(header)?.[1]
      return { header, value }
    }

    it('keeps the refresh token in an HttpOnly SameSite=Strict cookie on the token route, never in the body', async () => {
      const alice = await account()
      const response = await tokenRequest(ctx, { username: alice.email, password: alice.password, client_id: 'web' })
      expect(response.status).toBe(200)
      const body = (await response.json()) as Record<string, unknown>
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
      const cookie = cookieOf(response)
      expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
      const attributes = cookie.header.split(';').map((part) => part.trim()).slice(1)
      expect(attributes).toContain('Path=/api/users/token')
      expect(attributes).toContain('HttpOnly')
      expect(attributes).toContain('SameSite=Strict')
      // PUBLIC_URL is http here: a Secure cookie would never come back.
      expect(attributes).not.toContain('Secure')
      const expires = attributes.find((part) => part.startsWith('Expires='))
      expect(Date.parse(expires!.slice('Expires='.length))).toBeGreaterThan(Date.now() + DAY)

      // The refresh grant reads the cookie, and sets the next one.
      const refreshed = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web' }, { Cookie: `refresh_token=${cookie.value}` })
      expect(refreshed.status).toBe(200)
      const refreshedBody = (await refreshed.json()) as Record<string, unknown>
      expect(refreshedBody.refresh_token).toBeUndefined()
      expect(sidOf(refreshedBody.access_token as string)).toBe(sidOf(body.access_token as string))
      const next = cookieOf(refreshed)
      expect(next.value).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
      expect(next.value).not.toBe(cookie.value)
      expect(next.header).toContain('HttpOnly')

      // The old cookie is spent; the new one works, by the form too.
      const stale = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web' }, { Cookie: `refresh_token=${cookie.value}` })
      expect(stale.status).toBe(401)
      expect(await stale.json()).toEqual(INVALID_REFRESH)
      expect((await refreshWith(ctx, next.value!)).status).toBe(200)
    })

    it('refuses the web refresh grant without the cookie, even with the token in the body', async () => {
      const alice = await account()
      const pair = await signIn(ctx, alice)
      const noCookie = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web' })
      expect(noCookie.status).toBe(401)
      expect(await noCookie.json()).toEqual(INVALID_REFRESH)
      const inBody = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web', refresh_token: pair.refresh })
      expect(inBody.status).toBe(401)
      const otherCookie = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web' }, { Cookie: `session=${pair.refresh}` })
      expect(otherCookie.status).toBe(401)
      const undecodable = await tokenRequest(ctx, { grant_type: 'refresh_token', client_id: 'web' }, { Cookie: 'refresh_token=%E0%A4%A' })
      expect(undecodable.status).toBe(401)
      // Another client reads the body only: the cookie is not its token.
      const cookieOnly = await tokenRequest(ctx, { grant_type: 'refresh_token' }, { Cookie: `refresh_token=${pair.refresh}` })
      expect(cookieOnly.status).toBe(422)
      await expectLive(ctx, pair)
    })
  })

  describe('sign-out', () => {
    it('ends the session at once: its access and refresh tokens are refused, and the cookie is cleared', async () => {
      const alice = await account()
      const pair = await signIn(ctx, alice)
      const other = await signIn(ctx, alice)
      const response = await ctx.fetch('/api/users/logout', { method: 'POST', headers: bearer(pair.access) })
      expect(response.status).toBe(204)
      const cleared = response.headers.get('Set-Cookie') ?? ''
      expect(cleared).toMatch(/^refresh_token=;/)
      expect(cleared).toContain('Path=/api/users/token')
      const maxAge = /Max-Age=(\d+)/.exec(cleared)?.[1]
      const expires = /Expires=([^;]+)/.exec(cleared)?.[1]
      expect(maxAge === '0' || (expires !== undefined && Date.parse(expires) < Date.now())).toBe(true)
      await expectEnded(ctx, pair)
      // Signing out again with the same token is refused; the user's other session goes on.
      const again = await ctx.fetch('/api/users/logout', { method: 'POST', headers: bearer(pair.access) })
      expect(again.status).toBe(401)
      expect(await again.json()).toEqual(INVALID_TOKEN)
      await expectLive(ctx, other)
    })

    it('refuses a sign-out without a token', async () => {
      const response = await ctx.fetch('/api/users/logout', { method: 'POST' })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ detail: 'Not authenticated' })
    })

    it('lets no request without a token, or with the token of an ended session, see or end sessions', async () => {
      const alice = await account()
      const ended = await signIn(ctx, alice)
      const live = await signIn(ctx, alice)
      expect((await ctx.fetch('/api/users/logout', { method: 'POST', headers: bearer(ended.access) })).status).toBe(204)
      const routes: [string, string][] = [
        ['POST', '/api/users/logout'],
        ['GET', '/api/users/me/sessions'],
        ['DELETE', '/api/users/me/sessions'],
        ['DELETE', `/api/users/me/sessions/${live.sid}`],
      ]
      for (const [method, path] of routes) {
        const anonymous = await ctx.fetch(path, { method })
        expect(anonymous.status, `${method} ${path}`).toBe(401)
        expect(await anonymous.json()).toEqual({ detail: 'Not authenticated' })
        const stale = await ctx.fetch(path, { method, headers: bearer(ended.access) })
        expect(stale.status, `${method} ${path}`).toBe(401)
        expect(await stale.json()).toEqual(INVALID_TOKEN)
      }
      await expectLive(ctx, live)
    })
  })

  describe('where you’re signed in', () => {
    it('lists the caller’s live sessions newest first, the current one marked, with device, address and times', async () => {
      const alice = await account()
      const bob = await account()
      const start = Date.now()
      fakeClock(start)
      const firefox = await signIn(ctx, alice, { 'User-Agent': FIREFOX_ON_WINDOWS })
      vi.setSystemTime(start + 1000)
      const bare = await signIn(ctx, alice)
      vi.setSystemTime(start + 2000)
      const latest = await signIn(ctx, alice, { 'User-Agent': SAFARI_ON_IPHONE })
      await signIn(ctx, bob, { 'User-Agent': FIREFOX_ON_WINDOWS })

      const listed = await sessionsOf(ctx, bare.access)
      expect(listed.map((session) => session.id)).toEqual([latest.sid, bare.sid, firefox.sid])
      expect(listed.map((session) => session.current)).toEqual([false, true, false])
      expect(listed.map((session) => session.device)).toEqual(['Mobile Safari 17 on iOS 17.5', 'Unknown device', 'Firefox 133 on Windows 10'])
      for (const [i, session] of listed.entries()) {
        const created = start + (2 - i) * 1000
        expect(session).toEqual({
          id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
          created_at: new Date(created).toISOString(),
          last_used_at: new Date(created).toISOString(),
          expires_at: new Date(created + 2 * DAY).toISOString(),
          // In-process requests have no socket (src/http/client-address.ts).
          client_address: 'unknown',
          device: session.device,
          current: session.id === bare.sid,
        })
      }
      // Another token of hers sees the same list with its own session marked.
      expect((await sessionsOf(ctx, firefox.access)).filter((session) => session.current).map((session) => session.id)).toEqual([firefox.sid])
    })

    it('keeps a sign-in from a hostile User-Agent (long, Latin-1, markup) and lists it', async () => {
      const alice = await account()
      const userAgent = `${FIREFOX_ON_WINDOWS} <script>é\u00ff ${'x'.repeat(10_000)}`
      const pair = await signIn(ctx, alice, { 'User-Agent': userAgent })
      const [listed] = await sessionsOf(ctx, pair.access)
      expect(listed).toMatchObject({ id: pair.sid, device: 'Firefox 133 on Windows 10' })
      const [row] = await ctx.orm.em.fork().find(Session, { id: pair.sid })
      expect(row!.userAgent).toBe(userAgent.slice(0, 512))
    })

    it('ends one session by id: its tokens die at once, the others go on', async () => {
      const alice = await account()
      const kept = await signIn(ctx, alice)
      const lost = await signIn(ctx, alice)
      const response = await ctx.fetch(`/api/users/me/sessions/${lost.sid}`, { method: 'DELETE', headers: bearer(kept.access) })
      expect(response.status).toBe(204)
      await expectEnded(ctx, lost)
      const live = await expectLive(ctx, kept)
      expect((await sessionsOf(ctx, live.access)).map((session) => session.id)).toEqual([kept.sid])
      // Ended already: nothing left to end.
      const again = await ctx.fetch(`/api/users/me/sessions/${lost.sid}`, { method: 'DELETE', headers: bearer(live.access) })
      expect(again.status).toBe(404)
    })

    it('answers 404 for another user’s session, which goes on, and for one that never was; 422 for an id that is no uuid', async () => {
      const alice = await account()
      const bob = await account()
      const alicePair = await signIn(ctx, alice)
      const bobPair = await signIn(ctx, bob)
      const end = (id: string) => ctx.fetch(`/api/users/me/sessions/${id}`, { method: 'DELETE', headers: bearer(alicePair.access) })

      for (const id of [bobPair.sid, '00000000-0000-4000-8000-000000000000', crypto.randomUUID()]) {
        const response = await end(id)
        expect(response.status, id).toBe(404)
        expect(await response.json()).toEqual({ detail: 'Session not found' })
      }
      // Bob's session is untouched, and never shows in Alice's list.
      const bobNext = await expectLive(ctx, bobPair)
      expect((await sessionsOf(ctx, alicePair.access)).map((session) => session.id)).toEqual([alicePair.sid])
      expect((await sessionsOf(ctx, bobNext.access)).map((session) => session.id)).toEqual([bobPair.sid])

      for (const id of ['not-a-uuid', bobPair.sid.slice(0, -1), `${bobPair.sid}0`, '1', "x' or '1'='1"]) {
        const response = await end(encodeURIComponent(id))
        expect(response.status, id).toBe(422)
      }
      await expectLive(ctx, bobNext)
    })

    it('ends every other session and keeps the current one', async () => {
      const alice = await account()
      const bob = await account()
      const current = await signIn(ctx, alice)
      const others = [await signIn(ctx, alice), await signIn(ctx, alice)]
      const bobPair = await signIn(ctx, bob)
      const response = await ctx.fetch('/api/users/me/sessions', { method: 'DELETE', headers: bearer(current.access) })
      expect(response.status).toBe(204)
      for (const other of others) await expectEnded(ctx, other)
      const live = await expectLive(ctx, current)
      expect((await sessionsOf(ctx, live.access)).map((session) => session.id)).toEqual([current.sid])
      await expectLive(ctx, bobPair)
    })
  })

  describe('password change, reset and account deletion', () => {
    it('a password change ends every other session and keeps the current one', async () => {
      const alice = await account()
      const bob = await account()
      const current = await signIn(ctx, alice)
      const others = [await signIn(ctx, alice), await signIn(ctx, alice)]
      const bobPair = await signIn(ctx, bob)
      const changed = await ctx.fetch('/api/users/me/password', {
        method: 'PATCH',
        ...json({ current_password: alice.password, new_password: 'a brand new password' }, bearer(current.access)),
      })
      expect(changed.status).toBe(204)
      for (const other of others) await expectEnded(ctx, other)
      const live = await expectLive(ctx, current)
      expect((await sessionsOf(ctx, live.access)).map((session) => session.id)).toEqual([current.sid])
      await expectLive(ctx, bobPair)
    })

    /** The next mail to `to` with this subject; the sign-ups' verification mails go by. */
    async function mailTo(to: string, subject: string): Promise<ReceivedMail> {
      for (;;) {
        const received = await mail.next()
        if (received.to.includes(to) && subjectOf(received) === subject) return received
      }
    }

    it('a password reset ends every session of the account', async () => {
      const alice = await account()
      const bob = await account()
      const sessions = [await signIn(ctx, alice), await signIn(ctx, alice)]
      const bobPair = await signIn(ctx, bob)
      expect((await ctx.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email: alice.email }) })).status).toBe(202)
      const { token } = resetLink(await mailTo(alice.email, 'Reset your password'))
      const reset = await ctx.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: 'a brand new password' }) })
      expect(reset.status).toBe(204)
      for (const session of sessions) await expectEnded(ctx, session)
      expect(await ctx.orm.em.fork().count(Session, { user: alice.id })).toBe(0)
      await expectLive(ctx, bobPair)
      await signIn(ctx, { ...alice, password: 'a brand new password' })
    })

    it('deleting the account deletes its sessions and their refresh tokens', async () => {
      const alice = await signUp(ctx)
      const bob = await account()
      const pairs = [await signIn(ctx, alice), await pairOf(await refreshWith(ctx, (await signIn(ctx, alice)).refresh))]
      const bobPair = await signIn(ctx, bob)
      const em = ctx.orm.em.fork()
      const sids = [sidOf(alice.token), ...pairs.map((pair) => pair.sid)]
      expect(await em.count(Session, { user: alice.user.id })).toBe(3)
      // The second session keeps its rotated-away token beside the live one.
      expect(await em.count(RefreshToken, { session: { $in: sids } })).toBe(4)

      const deleted = await ctx.fetch(`/api/users/${alice.user.id}`, { method: 'DELETE', headers: bearer(alice.token) })
      expect(deleted.status).toBe(204)
      expect(await em.count(Session, { user: alice.user.id })).toBe(0)
      expect(await em.count(Session, { id: { $in: sids } })).toBe(0)
      expect(await em.count(RefreshToken, { session: { $in: sids } })).toBe(0)
      for (const pair of pairs) await expectRefused(ctx, pair.refresh)
      await expectLive(ctx, bobPair)
    })
  })

  describe('purge', () => {
    it('deletes the expired sessions with their refresh tokens and nothing live; two purges at once both succeed', async () => {
      const alice = await account()
      const start = Date.now()
      fakeClock(start)
      const expired = await signIn(ctx, alice)
      await pairOf(await refreshWith(ctx, expired.refresh))
      vi.setSystemTime(start + 1.5 * DAY)
      const live = await signIn(ctx, alice)
      vi.setSystemTime(start + 2 * DAY + 1000)

      const em = ctx.orm.em.fork()
      const due = await em.count(Session, { expiresAt: { $lte: new Date() } })
      expect(due).toBeGreaterThanOrEqual(1)
      const liveBefore = await em.count(Session, { expiresAt: { $gt: new Date() } })
      const purged = await Promise.all([purgeExpiredSessions(ctx.orm.em.fork()), purgeExpiredSessions(ctx.orm.em.fork())])
      expect(purged[0] + purged[1]).toBe(due)

      expect(await em.count(Session, { expiresAt: { $lte: new Date() } })).toBe(0)
      expect(await em.count(Session, { expiresAt: { $gt: new Date() } })).toBe(liveBefore)
      expect(await em.count(Session, { id: expired.sid })).toBe(0)
      expect(await em.count(RefreshToken, { session: expired.sid })).toBe(0)
      expect(await em.count(RefreshToken, { session: live.sid })).toBe(1)
      await expectLive(ctx, live)
    })
  })
})

describe('refresh failures count against the client address (LOGIN_MAX_FAILURES_PER_CLIENT=3)', () => {
  let ctx: TestContext

  beforeEach(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_FAILURES_PER_CLIENT: '3', PUBLIC_URL: 'https://example.com' } })
  })

  afterEach(async () => {
    await ctx.outbox.idle()
    await ctx.close()
  })

  const forged = () => `${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`

  it('answers 429 with Retry-After past the limit, for refreshes and logins alike; a good refresh gives its place back', async () => {
    const alice = await signUp(ctx)
    const pair = await signIn(ctx, alice)
    await expectRefused(ctx, forged())
    await expectRefused(ctx, forged())
    const next = await pairOf(await refreshWith(ctx, pair.refresh))
    // Two failures so far: the good refresh took a place and gave it back.
    await expectRefused(ctx, forged())
    for (const attempt of [() => refreshWith(ctx, forged()), () => refreshWith(ctx, next.refresh)]) {
      const limited = await attempt()
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    const login = await tokenRequest(ctx, { username: alice.email, password: alice.password })
    expect(login.status).toBe(429)
    // A refused attempt judged nothing: the session is intact.
    expect(await meStatus(ctx, next.access)).toBe(200)
  })

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const alice = await signUp(ctx)
    const response = await tokenRequest(ctx, { username: alice.email, password: alice.password, client_id: 'web' })
    expect(response.status).toBe(200)
    const attributes = (response.headers.get('Set-Cookie') ?? '').split(';').map((part) => part.trim())
    expect(attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/api/users/token']))
    const { access_token } = (await response.json()) as { access_token: string }
    const logout = await ctx.fetch('/api/users/logout', { method: 'POST', headers: bearer(access_token) })
    expect(logout.status).toBe(204)
    expect((logout.headers.get('Set-Cookie') ?? '').split(';').map((part) => part.trim())).toContain('Secure')
  })
})
