import { afterEach, describe, expect, it } from 'vitest'
import { checkResponse } from '../support/contract.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { startTestServer, type TestServer } from '../support/server.js'
import { newUser, register } from '../support/users.js'
import { logTo } from '../support/log.js'

// Who the client is behind a trusted proxy, however the proxy writes the address it appends.
// The limits are under test here, not password hashing.
useCheapArgon2()

let server: TestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** A login over a real connection from 127.0.0.1 (the trusted proxy), which says it forwards `forwardedFor`. */
async function loginVia(forwardedFor: string, email: string, password: string): Promise<Response> {
  const request = new Request(`${server!.origin}/api/users/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': forwardedFor },
    body: new URLSearchParams({ username: email, password }).toString(),
  })
  const response = await fetch(request.clone())
  await checkResponse(request, response)
  return response
}

describe('X-Forwarded-For hops with a port', () => {
  it.each([
    ['IPv4:port', '198.51.100.7:51234', '203.0.113.9:443'],
    ['[IPv6]:port', '[2001:db8:7::7]:51234', '[2001:db8:9::9]:443'],
    ['[IPv6]', '[2001:db8:7::7]', '[2001:db8:9::9]'],
  ])("count each client of a proxy that writes %s, so one client's failures do not lock out another", async (_, attacker, owner) => {
    server = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1' } })
    const victim = newUser()
    await register(server, victim)
    for (let i = 0; i < 5; i += 1) expect((await loginVia(attacker, victim.email, `guess ${i}`)).status).toBe(401)
    expect((await loginVia(attacker, victim.email, victim.password)).status).toBe(429)
    // Read as the proxy's own address, every client was one: the owner was locked out with the attacker.
    expect((await loginVia(owner, victim.email, victim.password)).status).toBe(200)
  })
})

describe('the request log', () => {
  it("names the client's address, as the trusted proxy forwarded it", async () => {
    const lines: Record<string, unknown>[] = []
    server = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1', LOG_REQUESTS: 'true' }, log: logTo((entry) => lines.push(entry)) })
    await loginVia('198.51.100.7:51234', 'nobody@example.com', 'password1')
    await loginVia('[2001:db8:7::7]:443', 'nobody@example.com', 'password1')
    await fetch(`${server.origin}/api/posts`)
    expect(lines.map((line) => [line.path, line.client])).toEqual([
      ['/api/users/token', '198.51.100.7'],
      ['/api/users/token', '2001:db8:7::7'],
      ['/api/posts', '127.0.0.1'],
    ])
  })
})
