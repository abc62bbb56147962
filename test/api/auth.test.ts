import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { bearer, createTestContext, TEST_SECRET, type TestContext } from '../support/context.js'
import { newUser, register, signUp } from '../support/users.js'

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

/** The claims of a JWT, read without checking it. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
}

function postForm(body: Record<string, string>, headers: Record<string, string> = {}) {
  return ctx.fetch('/api/users/token', {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: new URLSearchParams(body).toString(),
  })
}

describe('POST /api/users/token', () => {
  it('logs in with the email in `username`, in any case, and returns a bearer token', async () => {
    const input = newUser({ email: 'login@example.com' })
    const user = await register(ctx, input)
    const { data, response } = await ctx.client.POST('/api/users/token', {
      body: { username: 'LOGIN@Example.com', password: input.password },
      headers: FORM,
    })
    expect(response.status).toBe(200)
    expect(data?.token_type).toBe('bearer')
    const me = await ctx.clientAs(data!.access_token).GET('/api/users/me')
    expect(me.data).toEqual(user)
  })

  it("accepts what Swagger UI's Authorize dialog sends", async () => {
    const input = newUser()
    await register(ctx, input)
    const response = await postForm(
      { grant_type: 'password', username: input.email, password: input.password, scope: '', client_id: '' },
      { Authorization: 'Basic Og==' },
    )
    expect(response.status).toBe(200)
  })

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const input = newUser()
    await register(ctx, input)
    for (const form of [
      { username: input.email, password: 'wrong-password' },
      { username: 'nobody@example.com', password: input.password },
    ]) {
      const response = await postForm(form)
      expect(response.status).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
      expect(await response.json()).toEqual({ detail: 'Incorrect email or password' })
    }
  })

  it('answers 422 for a missing field or another grant type, and 415 for JSON', async () => {
    const missing = await postForm({ username: 'a@example.com' })
    expect(missing.status).toBe(422)
    expect(await missing.json()).toEqual({
      detail: [{ loc: ['body', 'password'], msg: 'Field required', type: 'missing' }],
    })
    const grant = await postForm({ username: 'a@example.com', password: 'x', grant_type: 'client_credentials' })
    expect(grant.status).toBe(422)
    const asJson = await ctx.fetch('/api/users/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'a@example.com', password: 'x' }),
    })
    expect(asJson.status).toBe(415)
  })
  it('takes a password of up to 128 characters, whole, and answers 422 for 129', async () => {
    const input = newUser({ password: `${'p'.repeat(127)}!` })
    await register(ctx, input)
    expect((await postForm({ username: input.email, password: input.password })).status).toBe(200)
    // Not truncated: the first 127 characters are another, wrong password.
    expect((await postForm({ username: input.email, password: input.password.slice(0, 127) })).status).toBe(401)
    const tooLong = await postForm({ username: input.email, password: `${input.password}p` })
    expect(tooLong.status).toBe(422)
    expect(await tooLong.json()).toEqual({
      detail: [{ loc: ['body', 'password'], msg: 'String should have at most 128 characters', type: 'string_too_long' }],
    })
  })

  it.each([
    ['the default', 30, {}],
    ['ACCESS_TOKEN_EXPIRE_MINUTES=7', 7, { ACCESS_TOKEN_EXPIRE_MINUTES: '7' }],
  ])('issues a token that lives as long as the setting: %s, %i minutes', async (_, minutes, env) => {
    const app = await createTestContext({ env })
    try {
      const before = Math.floor(Date.now() / 1000)
      const { token } = await signUp(app)
      const { iat, exp } = claimsOf(token) as { iat: number; exp: number }
      expect(iat).toBeGreaterThanOrEqual(before)
      expect(iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
      expect(exp - iat).toBe(minutes * 60)
    } finally {
      await app.close()
    }
  })
})

describe('GET /api/users/me with a bearer token', () => {
  const key = new TextEncoder().encode(TEST_SECRET)
  const sign = (claims: Record<string, unknown>, options: { alg?: string; secret?: Uint8Array; typ?: string } = {}) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256', ...(options.typ && { typ: options.typ }) })
    return jwt.sign(options.secret ?? key)
  }
  const now = () => Math.floor(Date.now() / 1000)
  const sidOf = (token: string) => decodeJwt(token).sid as string
  const valid = (sub: string, sid: string) => ({ sub, sid, iss: 'blog-api', aud: 'blog-api', iat: now(), exp: now() + 600 })

  async function meWith(token: string) {
    const response = await ctx.fetch('/api/users/me', { headers: bearer(token) })
    return { status: response.status, body: await response.json() }
  }

  it('accepts a token it signed', async () => {
    const alice = await signUp(ctx)
    expect(await meWith(await sign(valid(String(alice.user.id), sidOf(alice.token))))).toMatchObject({ status: 200 })
  })

  it('answers "Not authenticated" with no token or another scheme', async () => {
    for (const headers of [{}, { Authorization: 'Basic Og==' }, { Authorization: 'Bearer' }] as Record<string, string>[]) {
      const response = await ctx.fetch('/api/users/me', { headers })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ detail: 'Not authenticated' })
    }
  })

  it('rejects forged, expired and malformed tokens with "Invalid or expired token"', async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    const sub = String(alice.user.id)
    const sid = sidOf(alice.token)
    const other = new TextEncoder().encode('another-secret-key-that-is-long-enough-000')
    const [header, payload, signature] = alice.token.split('.')
    const tampered = Buffer.from(JSON.stringify({ ...valid('999', sid), sub: '2' })).toString('base64url')
    const cases: Record<string, string> = {
      'alg none': new UnsecuredJWT(valid(sub, sid)).encode(),
      'signed with another key': await sign(valid(sub, sid), { secret: other }),
      'alg switched to HS512': await sign(valid(sub, sid), { alg: 'HS512' }),
      expired: await sign({ ...valid(sub, sid), iat: now() - 7200, exp: now() - 3600 }),
      'no exp': await sign({ sub, iss: 'blog-api', aud: 'blog-api', iat: now() }),
      'no sid (issued before sessions)': await sign({ sub, pwv: 0, iss: 'blog-api', aud: 'blog-api', iat: now(), exp: now() + 600 }),
      'sid truncated': await sign(valid(sub, sid.slice(0, -1))),
      'sid not a session id': await sign(valid(sub, '1')),
      'sid of no session': await sign(valid(sub, '00000000-0000-4000-8000-000000000000')),
      "sid of another user's session": await sign(valid(sub, sidOf(bob.token))),
      'iat a minute in the future': await sign({ ...valid(sub, sid), iat: now() + 60 }),
      'older than the 30-minute lifetime, whatever its exp': await sign({ ...valid(sub, sid), iat: now() - 31 * 60, exp: now() + 3600 }),
      'typ other than JWT': await sign(valid(sub, sid), { typ: 'at+jwt' }),
      'sub "abc"': await sign(valid('abc', sid)),
      'sub "0"': await sign(valid('0', sid)),
      'sub "1.5"': await sign(valid('1.5', sid)),
      'wrong audience': await sign({ ...valid(sub, sid), aud: 'someone-else' }),
      'wrong issuer': await sign({ ...valid(sub, sid), iss: 'someone-else' }),
      'tampered payload': `${header}.${tampered}.${signature}`,
      'trailing dot-segment': `${alice.token}.`,
      'inner whitespace': `${header}.${payload} .${signature}`,
      garbage: 'not-a-jwt',
    }
    for (const [name, token] of Object.entries(cases)) {
      expect(await meWith(token), name).toEqual({ status: 401, body: { detail: 'Invalid or expired token' } })
    }
  })

  // The clock moves by a fake Date only: Argon2, the database and the in-process fetch keep
  // their real timers. jose allows 5 s of clock skew past `exp`.
  it('answers 401 "Invalid or expired token" once a real token has outlived its lifetime', async () => {
    const app = await createTestContext({ env: { ACCESS_TOKEN_EXPIRE_MINUTES: '7' } })
    try {
      const before = Date.now()
      const alice = await signUp(app)
      const after = Date.now()
      vi.useFakeTimers({ toFake: ['Date'] })

      vi.setSystemTime(before + 7 * 60_000 - 1_000)
      expect((await alice.client.GET('/api/users/me')).response.status).toBe(200)

      vi.setSystemTime(after + 7 * 60_000 + 6_000)
      const expired = await alice.client.GET('/api/users/me')
      expect(expired.response.status).toBe(401)
      expect(expired.error).toEqual({ detail: 'Invalid or expired token' })
    } finally {
      vi.useRealTimers()
      await app.close()
    }
  })

  it('answers "User not found" for a valid token of a deleted user', async () => {
    const alice = await signUp(ctx)
    await ctx.orm.em.fork().nativeDelete(User, { id: alice.user.id })
    expect(await meWith(alice.token)).toEqual({ status: 401, body: { detail: 'User not found' } })
  })
})
