import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { checkResponse } from '../support/contract.js'
import { useServerProcesses, type ServerProcess } from '../support/server-process.js'
import { newUser } from '../support/users.js'

// PostgreSQL only (see vitest.config.ts): two real server processes on one database share every
// session, so one that ends on one instance is refused by the other at once; no instance keeps
// a cache that could hide it.

const INVALID_TOKEN = { detail: 'Invalid or expired token' }
const INVALID_REFRESH = { detail: 'Invalid or expired refresh token' }

interface Pair {
  access: string
  refresh: string
}

/** fetch against a real server, every response checked against the spec. */
async function call(server: ServerProcess, path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(`${server.origin}${path}`, init)
  const response = await fetch(request.clone())
  await checkResponse(request, response)
  return response
}

const token = (server: ServerProcess, fields: Record<string, string>) => call(server, '/api/users/token', { method: 'POST', body: new URLSearchParams(fields) })

async function pairOf(response: Response): Promise<Pair> {
  const body = (await response.json()) as { access_token: string; refresh_token: string }
  expect(response.status, JSON.stringify(body)).toBe(200)
  return { access: body.access_token, refresh: body.refresh_token }
}

const refresh = (server: ServerProcess, refreshToken: string) => token(server, { grant_type: 'refresh_token', refresh_token: refreshToken })

const me = (server: ServerProcess, access: string) => call(server, '/api/users/me', { headers: { Authorization: `Bearer ${access}` } })

describe('sessions across two instances on one PostgreSQL database', () => {
  const servers = useServerProcesses('blog-sessions-')

  it('share every session: a sign-in, a rotation, a race for one refresh token, and a sign-out seen by the other at once', async () => {
    const [a, b] = await Promise.all([servers.start(), servers.start()])
    const user = newUser()
    const created = await call(a, '/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(user) })
    expect(created.status).toBe(201)
    const signIn = async (server: ServerProcess) => pairOf(await token(server, { username: user.email, password: user.password }))

    // Signed in on A, refreshed on B: one session, rotated on B, the old token refused on A.
    const first = await signIn(a)
    expect((await me(b, first.access)).status).toBe(200)
    const second = await pairOf(await refresh(b, first.refresh))
    expect(decodeJwt(second.access).sid).toBe(decodeJwt(first.access).sid)
    const stale = await refresh(a, first.refresh)
    expect(stale.status).toBe(401)
    expect(await stale.json()).toEqual(INVALID_REFRESH)
    expect((await me(a, second.access)).status).toBe(200)

    // One refresh token raced on both instances at once: exactly one new pair, and the session lives.
    const race = await Promise.all(Array.from({ length: 6 }, (_, i) => refresh(i % 2 === 0 ? a : b, second.refresh)))
    expect(race.map((answer) => answer.status).sort()).toEqual([200, 401, 401, 401, 401, 401])
    const third = await pairOf(race.find((answer) => answer.status === 200)!)
    const listed = await call(b, '/api/users/me/sessions', { headers: { Authorization: `Bearer ${third.access}` } })
    expect(listed.status).toBe(200)
    expect(await listed.json()).toEqual([
      expect.objectContaining({ id: decodeJwt(first.access).sid, current: true, client_address: '127.0.0.1', device: 'Unknown device' }),
    ])

    // Signed out on A: B refuses its access token at once, and its refresh token.
    const other = await signIn(b)
    const logout = await call(a, '/api/users/logout', { method: 'POST', headers: { Authorization: `Bearer ${third.access}` } })
    expect(logout.status).toBe(204)
    const refused = await me(b, third.access)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual(INVALID_TOKEN)
    const ended = await refresh(b, third.refresh)
    expect(ended.status).toBe(401)
    expect(await ended.json()).toEqual(INVALID_REFRESH)

    // The user's session started on B is untouched by A's sign-out, and works on A.
    expect((await me(a, other.access)).status).toBe(200)
    expect((await refresh(a, other.refresh)).status).toBe(200)
  })
})
