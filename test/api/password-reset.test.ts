import { afterEach, describe, expect, it, vi } from 'vitest'
import { hashLinkToken } from '../../src/auth/link-tokens.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { checkResponse } from '../support/contract.js'
import { createTestContext, json, type TestContext } from '../support/context.js'
import { resetLink, startMailServer, subjectOf, type MailServer } from '../support/mail.js'
import { startTestServer, type TestServer } from '../support/server.js'
import { login, signUp, signUpMailed } from '../support/users.js'
import { logTo } from '../support/log.js'

// Reset links are under test, not password hashing (test/api/auth.test.ts and
// test/api/users.test.ts keep the full cost).
useCheapArgon2()

const REQUESTED = { detail: 'If that email is registered, a reset link is on its way' }
const INVALID = { detail: 'Invalid or expired reset token' }
const NEW_PASSWORD = 'a brand new password'

let ctx: TestContext
// The context setUp opened and afterEach has not closed yet.
let opened: TestContext | undefined
let mail: MailServer
let logLines: string[]

const collect = logTo((entry) => logLines.push(JSON.stringify(entry)))

async function setUp(env: Record<string, string> = {}) {
  logLines = []
  mail = await startMailServer()
  ctx = await createTestContext({ env: { PUBLIC_URL: 'https://blog.example', LOG_REQUESTS: 'true', SMTP_URL: mail.url, ...env }, log: collect })
  opened = ctx
}

let server: TestServer | undefined

afterEach(async () => {
  vi.useRealTimers()
  await opened?.outbox.idle()
  await opened?.close()
  opened = undefined
  await server?.outbox.idle()
  await server?.stop()
  server = undefined
  await mail?.stop()
})

const forgot = (email: string) => ctx.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email }) })
const reset = (token: string, newPassword = NEW_PASSWORD) =>
  ctx.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: newPassword }) })

async function requestToken(email: string): Promise<string> {
  const response = await forgot(email)
  expect(response.status).toBe(202)
  return resetLink(await mail.next()).token
}

function tokenLogin(email: string, password: string) {
  return ctx.client.POST('/api/users/token', {
    body: { username: email, password },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

describe('password reset by email', () => {
  it('mails a link whose token sets a new password once, ending the old password and every earlier access token', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail, { username: 'Tom <b>&amp;</b> Jerry' })
    const answer = await forgot(alice.email.toUpperCase())
    expect(answer.status).toBe(202)
    expect(await answer.json()).toEqual(REQUESTED)

    const received = await mail.next()
    expect(received.from).toBe('no-reply@localhost')
    expect(received.to).toEqual([alice.email])
    expect(received.message).toMatch(/^From: Blog <no-reply@localhost>\r?$/m)
    expect(received.message).toMatch(/^Subject: Reset your password\r?$/m)
    expect(received.message).toContain('Content-Type: text/html')
    expect(received.message).toContain('Tom &lt;b&gt;&amp;amp;&lt;/b&gt; Jerry')
    expect(received.message).toContain('Hello Tom <b>&amp;</b> Jerry,')
    const { link, token } = resetLink(received)
    expect(link).toBe(`https://blog.example/reset-password#token=${token}`)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)

    expect((await reset(token)).status).toBe(204)
    expect((await reset(token, 'yet another password')).status).toBe(400)
    expect(await (await reset(token, 'yet another password')).json()).toEqual(INVALID)

    const me = await alice.client.GET('/api/users/me')
    expect(me.response.status).toBe(401)
    expect(me.error).toEqual({ detail: 'Invalid or expired token' })
    expect((await tokenLogin(alice.email, alice.password)).response.status).toBe(401)
    const fresh = await login(ctx, alice.email, NEW_PASSWORD)
    expect((await ctx.clientAs(fresh).GET('/api/users/me')).data?.id).toBe(alice.user.id)

    // The database keeps the token's hash only; no log line holds anything of it.
    const rows = await ctx.orm.em.fork().getConnection().execute('select token_hash from password_reset_tokens')
    expect(rows).toEqual([{ token_hash: hashLinkToken(token) }])
    await ctx.outbox.idle()
    expect(logLines.length).toBeGreaterThan(0)
    for (const line of logLines) {
      expect(line).not.toContain(token)
      expect(line).not.toContain(hashLinkToken(token))
      expect(line).not.toContain(token.slice(0, 12))
    }
  })

  /** Alice's link, and `ms` later a newer one for her email, asked by anyone. */
  async function linksApart(ms: number) {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    const older = await requestToken(alice.email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + ms)
    return { alice, older, newer: await requestToken(alice.email) }
  }

  it('refuses a token of a request older than a minute once a newer one is made, and the newer one works', async () => {
    const { alice, older, newer } = await linksApart(60_000)
    expect(newer).not.toBe(older)
    const refused = await reset(older)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(INVALID)
    expect((await reset(newer)).status).toBe(204)
    await login(ctx, alice.email, NEW_PASSWORD)
  })

  it('keeps a link younger than a minute working when a newer one is asked for, so nobody can kill the owner’s fresh link', async () => {
    // Someone else asks for the owner's email twice (or the owner clicked twice).
    const { alice, older: owners, newer } = await linksApart(59_000)
    await requestToken(alice.email)
    expect((await reset(owners)).status).toBe(204)
    // A reset still ends every other link, young or not.
    const refused = await reset(newer, 'yet another password')
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(INVALID)
    await login(ctx, alice.email, NEW_PASSWORD)
  })

  it('lets only one of two resets with the same token through', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    const token = await requestToken(alice.email)
    const statuses = await Promise.all([reset(token, 'first new password'), reset(token, 'second new password')]).then((answers) =>
      answers.map((answer) => answer.status).sort(),
    )
    expect(statuses).toEqual([204, 400])
  })

  it('refuses an expired token', async () => {
    await setUp({ RESET_TOKEN_EXPIRE_MINUTES: '30' })
    const alice = await signUpMailed(ctx, mail)
    const token = await requestToken(alice.email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 30 * 60_000 + 1000)
    const refused = await reset(token)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(INVALID)
    vi.useRealTimers()
    await login(ctx, alice.email, alice.password)
  })

  it('takes a token just before it expires', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    const token = await requestToken(alice.email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 29 * 60_000)
    expect((await reset(token)).status).toBe(204)
  })

  it('refuses made-up tokens, and counts them against the client address', async () => {
    await setUp({ RESET_MAX_PER_CLIENT: '3' })
    for (const token of ['x', 'A'.repeat(43), 'not a token at all']) {
      const refused = await reset(token)
      expect(refused.status).toBe(400)
      expect(await refused.json()).toEqual(INVALID)
    }
    const limited = await reset('B'.repeat(43))
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual({ detail: 'Too many password reset attempts, try again later' })
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(59 * 60)
    // Reset requests from that address share the limit.
    expect((await forgot('someone@example.com')).status).toBe(429)
  })

  it('limits requests per email, whether or not it is registered', async () => {
    await setUp({ RESET_MAX_PER_EMAIL: '2' })
    const alice = await signUpMailed(ctx, mail)
    for (const email of [alice.email, 'nobody@example.com']) {
      expect((await forgot(email)).status).toBe(202)
      expect((await forgot(email)).status).toBe(202)
      const limited = await forgot(email)
      expect(limited.status).toBe(429)
      expect(await limited.json()).toEqual({ detail: 'Too many password reset requests, try again later' })
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    await ctx.outbox.idle()
    // The registration's verification mail and the two reset links.
    expect(mail.received).toHaveLength(3)
  })

  it("counts requests per email and client address, so an attacker's address spending its limit leaves the owner's address a link", async () => {
    logLines = []
    mail = await startMailServer()
    // The shipped limits per email and per address; the pair's spelled out.
    const perPair = 5
    server = await startTestServer({
      env: { TRUSTED_PROXIES: '127.0.0.1', RESET_MAX_PER_CLIENT: '20', RESET_MAX_PER_EMAIL_AND_CLIENT: String(perPair), SMTP_URL: mail.url },
      log: collect,
    })
    const origin = server.origin
    const forgotFrom = async (address: string, email: string) => {
      const request = new Request(`${origin}/api/users/forgot-password`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
        body: JSON.stringify({ email }),
      })
      const response = await fetch(request.clone())
      await checkResponse(request, response)
      return response
    }
    const alice = await signUpMailed(server, mail)
    for (let i = 0; i < perPair; i += 1) expect((await forgotFrom('198.51.100.7', alice.email)).status).toBe(202)
    const limited = await forgotFrom('198.51.100.7', alice.email)
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual({ detail: 'Too many password reset requests, try again later' })
    for (let i = 0; i < perPair; i += 1) await mail.next()

    expect((await forgotFrom('203.0.113.9', alice.email)).status).toBe(202)
    const { token } = resetLink(await mail.next())
    const reset = await server.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: NEW_PASSWORD }) })
    expect(reset.status).toBe(204)
    await login(server, alice.email, NEW_PASSWORD)
  })

  it('still limits one email from many addresses, at a higher ceiling', async () => {
    logLines = []
    mail = await startMailServer()
    server = await startTestServer({
      env: { TRUSTED_PROXIES: '127.0.0.1', RESET_MAX_PER_EMAIL_AND_CLIENT: '2', RESET_MAX_PER_EMAIL: '3', SMTP_URL: mail.url },
      log: collect,
    })
    const forgotFrom = (address: string) =>
      fetch(`${server!.origin}/api/users/forgot-password`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
        body: JSON.stringify({ email: 'victim@example.com' }),
      }).then((response) => response.status)
    expect([await forgotFrom('198.51.100.1'), await forgotFrom('198.51.100.1'), await forgotFrom('198.51.100.1')]).toEqual([202, 202, 429])
    expect([await forgotFrom('198.51.100.2'), await forgotFrom('198.51.100.3')]).toEqual([202, 429])
  })

  it('clears the login limits of the email and ends the user’s other reset tokens', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    for (let i = 0; i < 5; i++) expect((await tokenLogin(alice.email, 'wrong password')).response.status).toBe(401)
    expect((await tokenLogin(alice.email, alice.password)).response.status).toBe(429)
    const token = await requestToken(alice.email)
    expect((await reset(token)).status).toBe(204)
    await login(ctx, alice.email, NEW_PASSWORD)
    const live = await ctx.orm.em.fork().getConnection().execute('select id from password_reset_tokens where used_at is null')
    expect(live).toEqual([])
  })

  it('ends every outstanding link when the password is changed', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    // A link asked for before the owner changed the password, say from a mailbox read by someone else.
    const token = await requestToken(alice.email)
    const changed = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: 'changed by the owner' },
    })
    expect(changed.response.status).toBe(204)
    const refused = await reset(token)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(INVALID)
    await login(ctx, alice.email, 'changed by the owner')
  })

  it('ends every outstanding link when the email is changed', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    // A link mailed to the old address, which the owner has left (or lost).
    const token = await requestToken(alice.email)
    const moved = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { email: 'alice.elsewhere@example.com', current_password: alice.password },
    })
    expect(moved.response.status).toBe(200)
    expect((await mail.next()).message).toMatch(/^Subject: Your email address was changed\r?$/m)
    expect(subjectOf(await mail.next())).toBe('Verify your email address')
    const refused = await reset(token)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual(INVALID)
    await login(ctx, 'alice.elsewhere@example.com', alice.password)
    // A link asked for at the new address works.
    expect((await reset(await requestToken('alice.elsewhere@example.com'))).status).toBe(204)
  })

  it('answers an unknown email exactly as a registered one, in the same time, and mails nobody', async () => {
    await setUp({ RESET_MAX_PER_EMAIL: '1000', RESET_MAX_PER_EMAIL_AND_CLIENT: '1000' })
    const alice = await signUpMailed(ctx, mail)
    const unknown = 'nobody-here@example.com'
    const [known, other] = [await forgot(alice.email), await forgot(unknown)]
    expect(other.status).toBe(known.status)
    expect(await other.json()).toEqual(await known.json())
    const headers = (response: Response) => [...response.headers].filter(([name]) => name !== 'x-request-id')
    expect(headers(other)).toEqual(headers(known))

    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] }
    for (let i = 0; i < 30; i++) {
      for (const [kind, email] of [['known', alice.email], ['unknown', unknown]] as const) {
        // Each answer is timed alone: the previous request's mail is written and sent, and the
        // SMTP connection (in this same process) closed, by then.
        await ctx.outbox.idle()
        await new Promise((resolve) => setTimeout(resolve, 25))
        const started = performance.now()
        expect((await forgot(email)).status).toBe(202)
        times[kind].push(performance.now() - started)
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const ratio = median(times.known) / median(times.unknown)
    expect(ratio).toBeGreaterThan(0.67)
    expect(ratio).toBeLessThan(1.5)

    await ctx.outbox.idle()
    expect(mail.received.every((received) => received.to.join() === alice.email)).toBe(true)
    // The registration's verification mail and 31 reset links.
    expect(mail.received).toHaveLength(32)
  })

  it('writes each mail to the log as one JSON line when there is no SMTP_URL, its text redacted', async () => {
    logLines = []
    ctx = await createTestContext({ log: collect })
    const alice = await signUp(ctx)
    expect((await forgot(alice.email)).status).toBe(202)
    // The registration's verification mail, then the reset link's.
    const mailLines = () => logLines.filter((line) => line.includes('"msg":"mail"'))
    await expect.poll(() => mailLines().length).toBe(2)
    expect(JSON.parse(mailLines()[0]!)).toMatchObject({ to: alice.email, subject: 'Verify your email address' })
    const entry = JSON.parse(mailLines()[1]!) as Record<string, string>
    expect(entry).toMatchObject({ level: 'info', to: alice.email, subject: 'Reset your password', text: '[Redacted]' })
    expect(mailLines().join('\n')).not.toContain('#token=')
  })

  it('still answers 202 when the mail server is down, logs the failure, and everything else works', async () => {
    await setUp()
    const alice = await signUpMailed(ctx, mail)
    await mail.stop()
    const answer = await forgot(alice.email)
    expect(answer.status).toBe(202)
    expect(await answer.json()).toEqual(REQUESTED)
    await ctx.outbox.idle()
    const failures = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => /Could not send a mail/.test(String(entry.msg)))
    expect(failures.map((entry) => entry.level)).toEqual(['warn', 'warn', 'error'])
    expect((await alice.client.GET('/api/users/me')).response.status).toBe(200)
    await login(ctx, alice.email, alice.password)
    expect((await forgot('nobody@example.com')).status).toBe(202)
    mail = await startMailServer()
  })
})
