import argon2 from 'argon2'
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AttemptLimits } from '../../src/auth/attempt-limits.js'
import { User } from '../../src/db/entities/index.js'
import { nameKey } from '../../src/rules/names.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { login, newUser, register } from '../support/users.js'

let ctx: TestContext
afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  await ctx?.close()
})

function attempt(username: string, password: string) {
  return ctx.fetch('/api/users/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  })
}

describe('POST /api/users/token throttling', () => {
  it('answers 429 with Retry-After after 5 failures for one email, without hashing', async () => {
    ctx = await createTestContext()
    const input = newUser()
    await register(ctx, input)
    for (let i = 0; i < 5; i++) expect((await attempt(input.email, 'wrong password')).status).toBe(401)

    const verify = vi.spyOn(argon2, 'verify')
    const blocked = await attempt(input.email.toUpperCase(), input.password)
    expect(blocked.status).toBe(429)
    expect(await blocked.json()).toEqual({ detail: 'Too many login attempts, try again later' })
    const retryAfter = Number(blocked.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect(verify).not.toHaveBeenCalled()

    // Another account is not affected by this one's failures.
    const other = newUser()
    await register(ctx, other)
    await login(ctx, other.email, other.password)
  })

  it('resets the count for the email on a successful login', async () => {
    ctx = await createTestContext()
    const input = newUser()
    await register(ctx, input)
    for (let i = 0; i < 4; i++) await attempt(input.email, 'wrong password')
    await login(ctx, input.email, input.password)
    for (let i = 0; i < 4; i++) expect((await attempt(input.email, 'wrong password')).status).toBe(401)
    await login(ctx, input.email, input.password)
  })

  // NFKC turns each U+FDFA into 18 characters: 120 of them make a 2,160-character email key,
  // longer than a count's key may be (varchar(255) on PostgreSQL).
  it('counts a username that grows past any key length under normalisation like any other, never a 500', async () => {
    ctx = await createTestContext()
    const username = '\uFDFA'.repeat(120)
    expect(username.normalize('NFKC')).toHaveLength(2160)
    for (let i = 0; i < 5; i++) expect((await attempt(username, 'password1')).status).toBe(401)
    expect((await attempt(username, 'password1')).status).toBe(429)
  })

  it('limits failures per client address across emails, as configured', async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_FAILURES_PER_CLIENT: '3' } })
    for (let i = 0; i < 3; i++) expect((await attempt(`nobody${i}@example.com`, 'whatever1')).status).toBe(401)
    expect((await attempt('someone-else@example.com', 'whatever1')).status).toBe(429)
  })

})

describe('POST /api/users/token rehashing', () => {
  it('rehashes a hash made with older, cheaper parameters on a successful login', async () => {
    ctx = await createTestContext()
    const input = newUser()
    const user = await register(ctx, input)
    const em = ctx.orm.em.fork()
    const cheap = await argon2.hash(input.password, { type: argon2.argon2id, memoryCost: 8192, timeCost: 2, parallelism: 1 })
    await em.nativeUpdate(User, { id: user.id }, { passwordHash: cheap })

    await login(ctx, input.email, input.password)
    const stored = await ctx.orm.em.fork().findOneOrFail(User, user.id, { populate: ['passwordHash'] })
    expect(stored.passwordHash).not.toBe(cheap)
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/)
    await login(ctx, input.email, input.password)
  })
})

describe('POST /api/users', () => {
  it('refuses a password over 128 characters at registration instead of hashing it', async () => {
    ctx = await createTestContext()
    const hash = vi.spyOn(argon2, 'hash')
    const { response } = await ctx.client.POST('/api/users', { body: newUser({ password: 'p'.repeat(129) }) })
    expect(response.status).toBe(422)
    expect(hash).not.toHaveBeenCalled()
  })
})

describe('POST /api/users/token timing', () => {
  it('costs about the same for an unknown email as for a wrong password', async () => {
    ctx = await createTestContext({
      env: { LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '1000', LOGIN_MAX_FAILURES_PER_EMAIL: '1000', LOGIN_MAX_FAILURES_PER_CLIENT: '1000' },
    })
    const input = newUser()
    await register(ctx, input)
    const time = async (email: string) => {
      const started = performance.now()
      expect((await attempt(email, 'wrong password')).status).toBe(401)
      return performance.now() - started
    }
    await time('warm-up@example.com')
    const unknown: number[] = []
    const wrong: number[] = []
    for (let i = 0; i < 9; i++) {
      unknown.push(await time(`nobody${i}@example.com`))
      wrong.push(await time(input.email))
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const ratio = median(unknown) / median(wrong)
    console.log(`login failure timing: unknown email / wrong password median ratio = ${ratio.toFixed(2)}`)
    // Without the dummy verification the unknown-email path skips Argon2 and is ~100x faster.
    expect(ratio).toBeGreaterThan(0.5)
    expect(ratio).toBeLessThan(2)
  })
})

describe('AttemptLimits', () => {
  it('opens again when the window ends', async () => {
    ctx = await createTestContext()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000)
    const limits = new AttemptLimits(ctx.orm, { ...ctx.config.limits, loginFailuresPerEmailAndClient: 2, guessWindowMinutes: 1 })
    for (let i = 0; i < 2; i += 1) await limits.reserveLogin('a@example.com', 'client')
    await expect(limits.reserveLogin('a@example.com', 'client')).rejects.toMatchObject({ code: 'too_many_logins', options: { retryAfterSeconds: 60 } })
    vi.setSystemTime(1_059_001)
    await expect(limits.reserveLogin('a@example.com', 'client')).rejects.toMatchObject({ code: 'too_many_logins', options: { retryAfterSeconds: 1 } })
    vi.setSystemTime(1_060_000)
    await expect(limits.reserveLogin('a@example.com', 'client')).resolves.toBeDefined()
  })

  it("clears a long email's failures from every address, as a short one's", async () => {
    ctx = await createTestContext()
    const limits = new AttemptLimits(ctx.orm, { ...ctx.config.limits, loginFailuresPerEmailAndClient: 1, loginFailuresPerEmail: 2 })
    const email = nameKey('\uFDFA'.repeat(120))
    for (const client of ['198.51.100.1', '198.51.100.2']) await limits.reserveLogin(email, client)
    await expect(limits.reserveLogin(email, '198.51.100.1')).rejects.toMatchObject({ code: 'too_many_logins' })
    await limits.clearLoginFailures(email)
    await expect(limits.reserveLogin(email, '198.51.100.1')).resolves.toBeDefined()
    await expect(limits.reserveLogin(email, '198.51.100.2')).resolves.toBeDefined()
  })

  it('gives back the counts it took when another count fails, and passes the failure on', async () => {
    ctx = await createTestContext()
    const limits = new AttemptLimits(ctx.orm, { ...ctx.config.limits, loginFailuresPerEmailAndClient: 1, loginFailuresPerClient: 1 })
    const failure = new Error('the store failed')
    // The stores' common base class, whose type alone rate-limiter-flexible exports.
    const store = Object.getPrototypeOf(RateLimiterSQLite.prototype) as RateLimiterStoreAbstract
    expect(Object.getPrototypeOf(RateLimiterPostgres.prototype)).toBe(store)
    const consume = store.consume
    const failing = vi.spyOn(store, 'consume').mockImplementation(function (this: RateLimiterStoreAbstract, ...args) {
      return this.keyPrefix === 'login_email' ? Promise.reject(failure) : consume.apply(this, args)
    })
    await expect(limits.reserveLogin('a@example.com', 'client')).rejects.toBe(failure)
    expect(failing).toHaveBeenCalledTimes(3)
    failing.mockRestore()
    // Had the pair's and the client's counts kept their point, this attempt would be over both limits.
    await expect(limits.reserveLogin('a@example.com', 'client')).resolves.toBeDefined()
    await expect(limits.reserveLogin('a@example.com', 'client')).rejects.toMatchObject({ code: 'too_many_logins' })
  })
})
