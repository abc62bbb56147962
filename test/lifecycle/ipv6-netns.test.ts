import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkResponse } from '../support/contract.js'
import { onPostgres, serverDatabaseUrl } from '../support/database.js'
import { createNetns, type Netns, type RequestInit } from '../support/netns.js'
import {
  killIfRunning,
  logEntries,
  randomSecretKey,
  spawnServer,
  untilListening,
  waitForLogEntry,
  type ServerProcess,
} from '../support/server-process.js'
import { newUser } from '../support/users.js'

// IPv6 clients as they really connect: the server runs in a network namespace of this file's own,
// listening on :: (so on ::1, and on 127.0.0.1 through the same dual-stack socket), and each
// attack comes from 24 addresses of one /64 of 2001:db8:1::/48, which the namespace treats as
// local. Real Argon2: the limits are set low, so that the attacks stay short.

const PORT = 8000 // the namespace has ports of its own
const LIMITS = {
  LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '5',
  LOGIN_MAX_FAILURES_PER_EMAIL: '20',
  LOGIN_MAX_FAILURES_PER_CLIENT: '10',
  REGISTER_MAX_PER_CLIENT: '3',
  RESET_MAX_PER_CLIENT: '3',
}

let dir = ''
let database = { url: '', drop: async () => {} }
let netns: Netns | undefined
let server: ServerProcess | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blog-netns-'))
  database = await serverDatabaseUrl(dir)
  // On PostgreSQL the server, inside, reaches the run's database through the namespace's relay.
  const postgres = onPostgres ? new URL(database.url) : undefined
  const forwards = postgres ? [{ host: postgres.hostname, port: Number(postgres.port || 5432) }] : []
  netns = await createNetns({ name: `blog-test-${process.pid}`, dir, localPrefixes: ['2001:db8:1::/48'], forwards })
  if (postgres) postgres.hostname = '127.0.0.1'
  const databaseUrl = postgres ? postgres.toString() : database.url
  server = spawnServer({ databaseUrl, secretKey: randomSecretKey(), port: PORT, netns: netns.name, env: { HOST: '::', LOG_REQUESTS: 'true', ...LIMITS } })
  await untilListening(server)
})

afterAll(async () => {
  await killIfRunning(server)
  await netns?.close()
  await database.drop()
  rmSync(dir, { recursive: true, force: true })
})

/** Addresses of one /64 in the form the server's sockets report them (no zero group to compress). */
const addressesOf = (net: number) => Array.from({ length: 24 }, (_, i) => `2001:db8:1:${net}:${(0x1000 + i * 0x0a0b).toString(16)}:${i + 1}:beef:cafe`)

/** A request to the server from `from`, its response checked against the spec. */
async function send(from: string, init: RequestInit): Promise<number> {
  const host = from.includes(':') ? '::1' : '127.0.0.1'
  const response = await netns!.requestFrom(from, host, PORT, init)
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${PORT}`
  const headers = Object.entries(response.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : []))
  await checkResponse(new Request(`${origin}${init.path}`, { method: init.method }), new Response(response.body || null, { status: response.status, headers }))
  return response.status
}

const json = (path: string, body: unknown): RequestInit => ({ method: 'POST', path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
const login = (email: string, password: string): RequestInit => ({
  method: 'POST',
  path: '/api/users/token',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ username: email, password }).toString(),
})
const count = (statuses: number[], wanted: number) => statuses.filter((status) => status === wanted).length

describe('clients of one IPv6 /64, from real addresses', () => {
  it('make 5 guesses at an account in all, far from its ceiling of 20, and its owner still logs in', async () => {
    const victim = newUser()
    expect(await send('2001:db8:1:ff::1', json('/api/users', victim))).toBe(201)
    const statuses: number[] = []
    for (const address of addressesOf(1)) {
      for (let i = 0; i < 5; i += 1) statuses.push(await send(address, login(victim.email, `guess ${address} ${i}`)))
    }
    expect(count(statuses, 401)).toBe(5)
    expect(count(statuses, 429)).toBe(115)
    expect(await send('2001:db8:1:fe::1', login(victim.email, victim.password))).toBe(200)
  })

  it('make 10 failed logins across accounts in all, as one address would', async () => {
    const statuses: number[] = []
    for (const [i, address] of addressesOf(2).entries()) statuses.push(await send(address, login(`nobody-2-${i}@example.com`, 'password1')))
    expect(count(statuses, 401)).toBe(10)
    expect(count(statuses, 429)).toBe(14)
  })

  it('register 3 accounts in all, as one address would', async () => {
    const statuses: number[] = []
    for (const address of addressesOf(3)) statuses.push(await send(address, json('/api/users', newUser())))
    expect(count(statuses, 201)).toBe(3)
    expect(count(statuses, 429)).toBe(21)
  })

  it('ask for 3 reset links in all, and the log names each full address', async () => {
    const addresses = addressesOf(4)
    const statuses: number[] = []
    for (const [i, address] of addresses.entries()) statuses.push(await send(address, json('/api/users/forgot-password', { email: `nobody-4-${i}@example.com` })))
    expect(count(statuses, 202)).toBe(3)
    expect(count(statuses, 429)).toBe(21)
    // A request's line is written when its response is sent, so the last may still be on its way.
    await waitForLogEntry(server!, (entry) => entry.path === '/api/users/forgot-password' && entry.client === addresses.at(-1))
    const logged = logEntries(server!).filter((entry) => entry.path === '/api/users/forgot-password').map((entry) => entry.client)
    expect(logged).toEqual(addresses)
  })
})

describe('IPv4 clients on the same dual-stack socket', () => {
  it('are counted per address, and logged as IPv4', async () => {
    const reset = (n: number) => json('/api/users/forgot-password', { email: `nobody-v4-${n}@example.com` })
    const first = [await send('127.0.0.2', reset(1)), await send('127.0.0.2', reset(2)), await send('127.0.0.2', reset(3)), await send('127.0.0.2', reset(4))]
    expect(first).toEqual([202, 202, 202, 429])
    expect(await send('127.0.0.3', reset(5))).toBe(202)
    await waitForLogEntry(server!, (entry) => entry.path === '/api/users/forgot-password' && entry.client === '127.0.0.3')
    const logged = logEntries(server!).filter((entry) => entry.path === '/api/users/forgot-password' && !String(entry.client).includes(':'))
    expect(logged.map((entry) => entry.client)).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.3'])
  })
})
