import argon2 from 'argon2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PasswordHasher } from '../../src/auth/passwords.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { checkResponse } from '../support/contract.js'
import { startTestServer, type TestServer } from '../support/server.js'
import { newUser, register } from '../support/users.js'

// One host with an ordinary IPv6 /64 can send from as many addresses as it likes. Each attack
// here comes from 24 addresses of 2001:db8:1:2::/64, forwarded by the trusted proxy 127.0.0.1
// (test/lifecycle/ipv6-netns.test.ts makes the same attacks from real addresses). The limits
// are under test, not password hashing.
useCheapArgon2()

let server: TestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

// Written the ways addresses are written: compressed, expanded with leading zeros, upper case.
const ROTATED = Array.from({ length: 24 }, (_, i) => {
  const host = [(i * 0x0a0b).toString(16), String(i), 'beef', String(i + 1)]
  const expanded = host.map((group) => group.padStart(4, '0')).join(':')
  return [`2001:db8:1:2:${host.join(':')}`, `2001:0db8:0001:0002:${expanded}`, `2001:DB8:1:2::${i + 1}`][i % 3]!
})
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const JSON_BODY = { 'Content-Type': 'application/json' }

/** A request over a real connection from the trusted proxy, for the client at `address`. */
async function from(address: string, path: string, headers: Record<string, string>, body: string): Promise<Response> {
  const request = new Request(`${server!.origin}${path}`, { method: 'POST', headers: { ...headers, 'X-Forwarded-For': address }, body })
  const response = await fetch(request.clone())
  await checkResponse(request, response)
  return response
}

const loginFrom = (address: string, email: string, password: string) =>
  from(address, '/api/users/token', FORM, new URLSearchParams({ username: email, password }).toString())

const count = (statuses: number[], wanted: number) => statuses.filter((status) => status === wanted).length

/** Starts the server with the limits' own defaults (the test context raises some of them). */
async function start(env: Record<string, string> = {}) {
  server = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1', REGISTER_MAX_PER_CLIENT: '10', RESET_MAX_PER_CLIENT: '20', ...env } })
}

describe('the limits per client address, for IPv6 clients', () => {
  it('lets one /64 make 5 guesses at an account, not the per-email ceiling of 100, and its owner still logs in', async () => {
    await start()
    const victim = newUser()
    await register(server!, victim)
    const statuses: number[] = []
    for (const address of ROTATED) {
      for (let i = 0; i < 5; i += 1) statuses.push((await loginFrom(address, victim.email, `guess ${address} ${i}`)).status)
    }
    // Counted per address, the 120 guesses were 100 verdicts and the account was locked out.
    expect(count(statuses, 401)).toBe(5)
    expect(count(statuses, 429)).toBe(115)
    expect((await loginFrom('2001:db8:1:3::1', victim.email, victim.password)).status).toBe(200)
  })

  it('counts failed logins across accounts per /64: 50, not 50 per address', async () => {
    await start()
    const statuses: number[] = []
    for (const [n, address] of ROTATED.entries()) {
      for (let i = 0; i < 3; i += 1) statuses.push((await loginFrom(address, `nobody${n}-${i}@example.com`, 'password1')).status)
    }
    expect(count(statuses, 401)).toBe(50)
    expect(count(statuses, 429)).toBe(22)
  })

  it('counts registrations per /64: 10 an hour, not 10 per address', async () => {
    await start()
    const statuses: number[] = []
    for (const address of ROTATED) statuses.push((await from(address, '/api/users', JSON_BODY, JSON.stringify(newUser()))).status)
    expect(count(statuses, 201)).toBe(10)
    expect(count(statuses, 429)).toBe(14)
  })

  it('counts reset requests per /64: 20 an hour, not 20 per address', async () => {
    await start()
    const statuses: number[] = []
    for (const [n, address] of ROTATED.entries()) {
      statuses.push((await from(address, '/api/users/forgot-password', JSON_BODY, JSON.stringify({ email: `nobody${n}@example.com` }))).status)
    }
    expect(count(statuses, 202)).toBe(20)
    expect(count(statuses, 429)).toBe(4)
  })

  it('counts wrong reset tokens with the reset requests, per /64', async () => {
    await start({ RESET_MAX_PER_CLIENT: '3' })
    const statuses: number[] = []
    for (const address of ROTATED.slice(0, 6)) {
      const body = JSON.stringify({ token: `not-a-token-${address}`, new_password: 'a-new-password' })
      statuses.push((await from(address, '/api/users/reset-password', JSON_BODY, body)).status)
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429])
  })

  it('keeps counting IPv4 clients per address, an IPv4-mapped IPv6 address being its IPv4 one', async () => {
    await start({ REGISTER_MAX_PER_CLIENT: '1' })
    const register = (address: string) => from(address, '/api/users', JSON_BODY, JSON.stringify(newUser()))
    expect((await register('198.51.100.1')).status).toBe(201)
    expect((await register('198.51.100.2')).status).toBe(201)
    expect((await register('::ffff:198.51.100.1')).status).toBe(429)
    expect((await register('[::ffff:c633:6402]:443')).status).toBe(429)
  })
})

describe('the hashing queue, for IPv6 clients', () => {
  it('gives one /64 its 3 places in all, so 24 addresses of it cannot fill the queue', async () => {
    await start({ HASHING_QUEUE_MAX: '1000', HASHING_QUEUE_MAX_PER_CLIENT: '3', LOGIN_MAX_FAILURES_PER_CLIENT: '1000' })
    // Every verification waits until the test lets go, so no place is freed while the requests arrive.
    let letGo = () => {}
    const gate = new Promise<void>((resolve) => (letGo = resolve))
    const verify = argon2.verify.bind(argon2)
    const held = vi.spyOn(argon2, 'verify').mockImplementation(async (...args) => (await gate, verify(...args)))
    // The queue takes or refuses a check as soon as the hasher is asked for it.
    const asked = vi.spyOn(PasswordHasher.prototype, 'verify')
    try {
      const logins = ROTATED.flatMap((address, n) => [0, 1, 2].map((i) => loginFrom(address, `nobody${n}-${i}@example.com`, 'password1')))
      await vi.waitFor(() => expect(asked).toHaveBeenCalledTimes(72), { timeout: 20_000, interval: 20 })
      letGo()
      const statuses = (await Promise.all(logins)).map((response) => response.status)
      // Counted per address, all 72 were taken (with the default HASHING_QUEUE_MAX of 32 they
      // filled the whole queue, and every other client got 503).
      expect(count(statuses, 401)).toBe(3)
      expect(count(statuses, 503)).toBe(69)
    } finally {
      letGo()
      held.mockRestore()
      asked.mockRestore()
    }
  })
})
