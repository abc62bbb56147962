import * as OTPAuth from 'otpauth'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, json, type TestContext } from '../support/context.js'
import { resetLink, startMailServer, subjectOf, type MailServer, type ReceivedMail } from '../support/mail.js'
import { newUser, register, signUp } from '../support/users.js'

// Two-factor sign-in is under test here, not password hashing.
useCheapArgon2()

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const STEP_MS = 30_000
const INVALID_CODE = { detail: 'Invalid code' }
const INVALID_MFA_TOKEN = { detail: 'Invalid or expired MFA token' }
const RECOVERY_CODE = /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/

let ctx: TestContext
let mail: MailServer

beforeAll(async () => {
  // The clock is the file's: every code is computed for a time step a test chose. It only moves
  // forward, so no mail the outbox holds is ever due later than now.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now())
  mail = await startMailServer()
  // Each test signs in from addresses of its own (X-Forwarded-For), so the counts per address of
  // one test never reach another's.
  // A failed send's retry is due at once (retryMs 0): one due 20 ms ahead of a clock that stands
  // still would never be, and outbox.idle() would wait for it until the test timed out.
  ctx = await createTestContext({ env: { SMTP_URL: mail.url, PUBLIC_URL: 'https://blog.example', TRUSTED_PROXIES: '127.0.0.1' }, outbox: { retryMs: 0 } })
})
afterAll(async () => {
  await ctx.outbox.idle()
  await ctx.close()
  await mail.stop()
  vi.useRealTimers()
})

let addresses = 0
/** A client address no other test uses. */
const newAddress = () => `198.51.100.${++addresses}`

const totp = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })
/** The code of the time step `steps` away from now. */
const codeAt = (secret: string, steps = 0) => totp(secret).generate({ timestamp: Date.now() + steps * STEP_MS })
/** Moves the clock on to the next time step and answers its code: every code used is a fresh one. */
function freshCode(secret: string): string {
  vi.setSystemTime(Date.now() + STEP_MS)
  return codeAt(secret)
}

type Account = Awaited<ReturnType<typeof signUp>>

function tokenRequest(body: Record<string, string>, address = newAddress()) {
  return ctx.fetch('/api/users/token', { method: 'POST', headers: { ...FORM, 'X-Forwarded-For': address }, body: new URLSearchParams(body) })
}

/** The password step for an account with two factors: answers its mfa_token. */
async function passwordStep(account: Pick<Account, 'email' | 'password'>, address?: string): Promise<string> {
  const response = await tokenRequest({ username: account.email, password: account.password }, address)
  expect(response.status).toBe(401)
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  const body = (await response.json()) as { detail: string; mfa_token: string }
  expect(body.detail).toBe('Second factor required')
  expect(body).not.toHaveProperty('access_token')
  return body.mfa_token
}

const otpStep = (mfaToken: string, otp: string, address?: string) => tokenRequest({ grant_type: 'mfa_otp', mfa_token: mfaToken, otp }, address)
const recoveryStep = (mfaToken: string, code: string, address?: string) =>
  tokenRequest({ grant_type: 'mfa_recovery_code', mfa_token: mfaToken, recovery_code: code }, address)

async function expectSignedIn(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(200)
  const { access_token: token } = (await response.json()) as { access_token: string }
  const me = await ctx.clientAs(token).GET('/api/users/me')
  expect(me.response.status).toBe(200)
  return token
}

async function expectRefused(response: Response, body: unknown, status = 401) {
  expect(response.status).toBe(status)
  expect(await response.json()).toEqual(body)
}

const me = async (account: Account) => (await account.client.GET('/api/users/me')).data!

/** The mail with this subject sent to this address, once the outbox has sent what it holds. */
async function mailTo(email: string, subject: string): Promise<ReceivedMail> {
  await ctx.outbox.idle()
  const found = mail.received.filter((received) => received.to.includes(email) && subjectOf(received) === subject)
  expect(found, `mails to ${email}: ${subject}`).toHaveLength(1)
  return found[0]!
}

/** A new account with two factors on: its secret and recovery codes. */
async function withTwoFactor() {
  const account = await signUp(ctx)
  const started = await account.client.POST('/api/users/me/two-factor', { body: { password: account.password } })
  expect(started.response.status).toBe(200)
  const secret = started.data!.secret
  const confirmed = await account.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(secret) } })
  expect(confirmed.response.status).toBe(200)
  return { ...account, secret, recoveryCodes: confirmed.data!.recovery_codes }
}

const rows = (sql: string, params: unknown[]) => ctx.orm.em.fork().getConnection().execute<Record<string, unknown>[]>(sql, params)

describe('enrolment', () => {
  it('answers a pending secret for the password, and a code from it turns two factors on with ten recovery codes', async () => {
    const alice = await signUp(ctx)
    const wrong = await alice.client.POST('/api/users/me/two-factor', { body: { password: 'not the password' } })
    expect(wrong.response.status).toBe(400)
    expect(wrong.error).toEqual({ detail: 'Incorrect password' })

    const started = await alice.client.POST('/api/users/me/two-factor', { body: { password: alice.password } })
    expect(started.response.status).toBe(200)
    expect(started.response.headers.get('Cache-Control')).toBe('no-store')
    const { secret, otpauth_uri: uri, qr_svg: svg } = started.data!
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP)
    expect([parsed.issuer, parsed.label, parsed.secret.base32, parsed.digits, parsed.period]).toEqual(['Blog', alice.email, secret, 6, 30])
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    // Pending: nothing changes at sign-in yet.
    expect((await me(alice)).two_factor_enabled).toBe(false)
    expect((await tokenRequest({ username: alice.email, password: alice.password })).status).toBe(200)

    const refused = await alice.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(secret, 2) } })
    expect(refused.response.status).toBe(400)
    expect(refused.error).toEqual(INVALID_CODE)
    expect((await me(alice)).two_factor_enabled).toBe(false)

    const confirmed = await alice.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(secret) } })
    expect(confirmed.response.status).toBe(200)
    expect(confirmed.response.headers.get('Cache-Control')).toBe('no-store')
    const codes = confirmed.data!.recovery_codes
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE)
    expect((await me(alice)).two_factor_enabled).toBe(true)
    expect((await mailTo(alice.email, 'Two-factor authentication is on')).message).toContain('https://blog.example/account')

    // Stored sealed and hashed: neither the secret nor a code is in the database.
    const [stored] = await rows('select secret_sealed from two_factor_secrets where user_id = ?', [alice.user.id])
    const sealed = String(stored!.secret_sealed)
    expect(sealed).not.toContain(secret)
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain(secret)
    const hashes = (await rows('select code_hash from recovery_codes where user_id = ?', [alice.user.id])).map((row) => String(row.code_hash))
    expect(hashes).toHaveLength(10)
    for (const code of codes) expect(hashes.join(' ')).not.toContain(code.replace('-', ''))

    // The code that confirmed is used up: it signs nobody in.
    await expectRefused(await otpStep(await passwordStep(alice), codeAt(secret)), INVALID_CODE)

    // On is on: no second enrolment, no second confirmation.
    const again = await alice.client.POST('/api/users/me/two-factor', { body: { password: alice.password } })
    expect(again.response.status).toBe(409)
    expect(again.error).toEqual({ detail: 'Two-factor authentication is already enabled' })
    const reconfirmed = await alice.client.POST('/api/users/me/two-factor/confirm', { body: { code: freshCode(secret) } })
    expect(reconfirmed.response.status).toBe(409)
  })

  it('replaces a pending secret with a new enrolment, and confirms nothing without one', async () => {
    const bob = await signUp(ctx)
    const none = await bob.client.POST('/api/users/me/two-factor/confirm', { body: { code: '123456' } })
    expect(none.response.status).toBe(400)
    expect(none.error).toEqual({ detail: 'No two-factor enrolment to confirm: start one first' })

    const first = (await bob.client.POST('/api/users/me/two-factor', { body: { password: bob.password } })).data!.secret
    const second = (await bob.client.POST('/api/users/me/two-factor', { body: { password: bob.password } })).data!.secret
    expect(second).not.toBe(first)
    const stale = await bob.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(first) } })
    expect(stale.error).toEqual(INVALID_CODE)
    const confirmed = await bob.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(second) } })
    expect(confirmed.response.status).toBe(200)
  })

  it('counts wrong passwords on enrolment, and answers 429 past the limit', async () => {
    const carol = await signUp(ctx)
    for (let i = 0; i < 5; i++) {
      const wrong = await carol.client.POST('/api/users/me/two-factor', { body: { password: `wrong ${i}` } })
      expect(wrong.response.status).toBe(400)
    }
    const limited = await carol.client.POST('/api/users/me/two-factor', { body: { password: carol.password } })
    expect(limited.response.status).toBe(429)
    expect(Number(limited.response.headers.get('Retry-After'))).toBeGreaterThan(0)
  })
})

describe('sign-in with two factors', () => {
  it('asks for the second factor after the password, and a code of the app starts the session', async () => {
    const alice = await withTwoFactor()
    await expectRefused(await tokenRequest({ username: alice.email, password: 'a wrong password' }), { detail: 'Incorrect email or password' })
    const mfaToken = await passwordStep(alice)
    const response = await otpStep(mfaToken, freshCode(alice.secret))
    const body = (await response.clone().json()) as Record<string, unknown>
    expect(body.refresh_token).toEqual(expect.any(String))
    await expectSignedIn(response)
  })

  it('keeps the refresh token in the cookie for client_id=web, as the password grant does', async () => {
    const alice = await withTwoFactor()
    const response = await tokenRequest({ grant_type: 'mfa_otp', mfa_token: await passwordStep(alice), otp: freshCode(alice.secret), client_id: 'web' })
    expect(response.headers.get('Set-Cookie')).toMatch(/^refresh_token=[^;]+;.*HttpOnly/)
    expect(await response.clone().json()).not.toHaveProperty('refresh_token')
    await expectSignedIn(response)
  })

  it('takes each code once: the same code again, or twice at once, signs in once', async () => {
    const alice = await withTwoFactor()
    const code = freshCode(alice.secret)
    await expectSignedIn(await otpStep(await passwordStep(alice), code))
    await expectRefused(await otpStep(await passwordStep(alice), code), INVALID_CODE)

    const tokens = [await passwordStep(alice), await passwordStep(alice)]
    const next = freshCode(alice.secret)
    const answers = await Promise.all(tokens.map((mfaToken) => otpStep(mfaToken, next)))
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401])
    // An older step than the last one used is refused too, though still within the drift.
    await expectRefused(await otpStep(await passwordStep(alice), codeAt(alice.secret, -1)), INVALID_CODE)
  })

  it('accepts a step of clock drift either way, and not two', async () => {
    const alice = await withTwoFactor()
    vi.setSystemTime(Date.now() + 10 * STEP_MS)
    for (const steps of [-2, 2]) await expectRefused(await otpStep(await passwordStep(alice), codeAt(alice.secret, steps)), INVALID_CODE)
    await expectSignedIn(await otpStep(await passwordStep(alice), codeAt(alice.secret, -1)))
    await expectSignedIn(await otpStep(await passwordStep(alice), codeAt(alice.secret, 1)))
  })

  it('takes a recovery code once, in any case and without its dash, and mails how many are left', async () => {
    const alice = await withTwoFactor()
    const [first, second] = alice.recoveryCodes
    await expectSignedIn(await recoveryStep(await passwordStep(alice), first!.replace('-', '').toLowerCase()))
    expect((await mailTo(alice.email, 'A recovery code was used to sign in')).message).toContain('9 recovery codes are left')
    await expectRefused(await recoveryStep(await passwordStep(alice), first!), INVALID_CODE)
    await expectSignedIn(await recoveryStep(await passwordStep(alice), second!))
    // A recovery code is no app code, nor the other way round.
    await expectRefused(await otpStep(await passwordStep(alice), alice.recoveryCodes[2]!), INVALID_CODE)
    await expectRefused(await recoveryStep(await passwordStep(alice), freshCode(alice.secret)), INVALID_CODE)
  })

  it('ends the mfa_token when it is used, when it expires, and after 5 wrong codes', async () => {
    const alice = await withTwoFactor()
    const used = await passwordStep(alice)
    await expectSignedIn(await otpStep(used, freshCode(alice.secret)))
    await expectRefused(await otpStep(used, freshCode(alice.secret)), INVALID_MFA_TOKEN)

    const expiring = await passwordStep(alice)
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1000)
    await expectRefused(await otpStep(expiring, codeAt(alice.secret)), INVALID_MFA_TOKEN)

    const guessed = await passwordStep(alice)
    for (let i = 0; i < 5; i++) await expectRefused(await otpStep(guessed, '000000', newAddress()), INVALID_CODE)
    await expectRefused(await otpStep(guessed, freshCode(alice.secret)), INVALID_MFA_TOKEN)

    for (const forged of ['not-a-token', `${guessed.split('.')[0]}.${'A'.repeat(43)}`]) {
      await expectRefused(await otpStep(forged, codeAt(alice.secret)), INVALID_MFA_TOKEN)
    }
  })

  it("checks the code against the mfa_token's own account: another account's token with this account's code fails", async () => {
    const alice = await withTwoFactor()
    const mallory = await withTwoFactor()
    await expectRefused(await otpStep(await passwordStep(mallory), freshCode(alice.secret)), INVALID_CODE)
    await expectRefused(await recoveryStep(await passwordStep(mallory), alice.recoveryCodes[0]!), INVALID_CODE)
    // Alice's code and recovery code were not used up by those attempts.
    await expectSignedIn(await otpStep(await passwordStep(alice), codeAt(alice.secret)))
    await expectSignedIn(await recoveryStep(await passwordStep(alice), alice.recoveryCodes[0]!))
  })

  it('counts wrong codes per account from every address, and answers 429 on every code route past the limit', async () => {
    const alice = await withTwoFactor()
    for (let i = 0; i < 5; i++) await expectRefused(await otpStep(await passwordStep(alice), '000000', newAddress()), INVALID_CODE)
    const limited = await otpStep(await passwordStep(alice), freshCode(alice.secret), newAddress())
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    const input = { password: alice.password, code: freshCode(alice.secret) }
    const regenerate = await alice.client.POST('/api/users/me/two-factor/recovery-codes', { body: input })
    expect(regenerate.response.status).toBe(429)
    expect(regenerate.error).toEqual({ detail: 'Too many wrong codes, try again later' })
    const disable = await alice.client.DELETE('/api/users/me/two-factor', { body: input })
    expect(disable.response.status).toBe(429)
    // The window passes.
    vi.setSystemTime(Date.now() + 15 * 60_000)
    await expectSignedIn(await otpStep(await passwordStep(alice), freshCode(alice.secret)))
  })

  it('ends the mfa_tokens of the old password at a password reset, and keeps the second factor', async () => {
    const alice = await withTwoFactor()
    const before = await passwordStep(alice)
    expect((await ctx.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email: alice.email }) })).status).toBe(202)
    const { token } = resetLink(await mailTo(alice.email, 'Reset your password'))
    expect((await ctx.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: 'a brand new password' }) })).status).toBe(204)

    await expectRefused(await otpStep(before, freshCode(alice.secret)), INVALID_MFA_TOKEN)
    const withNewPassword = { email: alice.email, password: 'a brand new password' }
    await expectSignedIn(await otpStep(await passwordStep(withNewPassword), freshCode(alice.secret)))
    await expectSignedIn(await recoveryStep(await passwordStep(withNewPassword), alice.recoveryCodes[0]!))
  })

  it('leaves an account without two factors as it was, and asks each mfa grant for its fields', async () => {
    const input = newUser()
    const user = await register(ctx, input)
    expect(user.two_factor_enabled).toBe(false)
    const response = await tokenRequest({ username: input.email, password: input.password })
    await expectSignedIn(response)

    const missing = await tokenRequest({ grant_type: 'mfa_otp', mfa_token: 'x' })
    expect(missing.status).toBe(422)
    expect(await missing.json()).toMatchObject({ detail: [{ loc: ['body', 'otp'], msg: 'Field required' }] })
    const noToken = await tokenRequest({ grant_type: 'mfa_recovery_code', recovery_code: 'x' })
    expect(noToken.status).toBe(422)
    expect(await noToken.json()).toMatchObject({ detail: [{ loc: ['body', 'mfa_token'], msg: 'Field required' }] })
  })
})

describe('managing two factors', () => {
  it('turns two factors off with the password and a code (a recovery code too); sign-in then asks for the password only', async () => {
    const alice = await withTwoFactor()
    const wrongPassword = await alice.client.DELETE('/api/users/me/two-factor', { body: { password: 'wrong password', code: freshCode(alice.secret) } })
    expect(wrongPassword.response.status).toBe(400)
    expect(wrongPassword.error).toEqual({ detail: 'Incorrect password' })
    const wrongCode = await alice.client.DELETE('/api/users/me/two-factor', { body: { password: alice.password, code: 'AAAAA-AAAAA' } })
    expect(wrongCode.error).toEqual(INVALID_CODE)

    const off = await alice.client.DELETE('/api/users/me/two-factor', { body: { password: alice.password, code: alice.recoveryCodes[0]! } })
    expect(off.response.status).toBe(204)
    expect((await me(alice)).two_factor_enabled).toBe(false)
    await mailTo(alice.email, 'Two-factor authentication is off')
    await expectSignedIn(await tokenRequest({ username: alice.email, password: alice.password }))
    expect(await rows('select user_id from two_factor_secrets where user_id = ?', [alice.user.id])).toEqual([])
    expect(await rows('select id from recovery_codes where user_id = ?', [alice.user.id])).toEqual([])

    const again = await alice.client.DELETE('/api/users/me/two-factor', { body: { password: alice.password, code: freshCode(alice.secret) } })
    expect(again.response.status).toBe(400)
    expect(again.error).toEqual({ detail: 'Two-factor authentication is not enabled' })
    const regenerate = await alice.client.POST('/api/users/me/two-factor/recovery-codes', { body: { password: alice.password, code: freshCode(alice.secret) } })
    expect(regenerate.error).toEqual({ detail: 'Two-factor authentication is not enabled' })
  })

  it('makes a new set of recovery codes; the old ones stop working', async () => {
    const alice = await withTwoFactor()
    const wrong = await alice.client.POST('/api/users/me/two-factor/recovery-codes', { body: { password: alice.password, code: '000000' } })
    expect(wrong.response.status).toBe(400)
    expect(wrong.error).toEqual(INVALID_CODE)

    const renewed = await alice.client.POST('/api/users/me/two-factor/recovery-codes', { body: { password: alice.password, code: freshCode(alice.secret) } })
    expect(renewed.response.status).toBe(200)
    expect(renewed.response.headers.get('Cache-Control')).toBe('no-store')
    const codes = renewed.data!.recovery_codes
    expect(codes).toHaveLength(10)
    expect(codes.filter((code) => alice.recoveryCodes.includes(code))).toEqual([])
    await expectRefused(await recoveryStep(await passwordStep(alice), alice.recoveryCodes[1]!), INVALID_CODE)
    await expectSignedIn(await recoveryStep(await passwordStep(alice), codes[0]!))
  })
})

describe('invalid input', () => {
  it('answers 422 naming the field, on every two-factor route', async () => {
    const alice = await signUp(ctx)
    const requests = [
      ['POST', '/api/users/me/two-factor', {}, 'password'],
      ['POST', '/api/users/me/two-factor/confirm', { code: '' }, 'code'],
      ['DELETE', '/api/users/me/two-factor', { password: alice.password }, 'code'],
      ['POST', '/api/users/me/two-factor/recovery-codes', { password: alice.password, code: '1'.repeat(65) }, 'code'],
    ] as const
    for (const [method, path, body, field] of requests) {
      const response = await ctx.fetch(path, { method, ...json(body, { Authorization: `Bearer ${alice.token}` }) })
      expect(response.status, path).toBe(422)
      expect(await response.json()).toMatchObject({ detail: [{ loc: ['body', field] }] })
    }
  })
})

describe('the limit per client address', () => {
  let limited: TestContext
  beforeAll(async () => {
    limited = await createTestContext({ env: { LOGIN_MAX_FAILURES_PER_CLIENT: '3' } })
  })
  afterAll(() => limited.close())

  it('counts wrong codes with wrong passwords, across accounts, and answers 429 past it', async () => {
    const enrol = async () => {
      const account = await signUp(limited)
      const secret = (await account.client.POST('/api/users/me/two-factor', { body: { password: account.password } })).data!.secret
      return { ...account, secret }
    }
    const alice = await enrol()
    const bob = await enrol()
    expect((await alice.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(alice.secret) } })).response.status).toBe(200)
    const form = (body: Record<string, string>) => limited.fetch('/api/users/token', { method: 'POST', headers: FORM, body: new URLSearchParams(body) })

    expect((await form({ username: bob.email, password: 'a wrong password' })).status).toBe(401)
    const wrongConfirm = await bob.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(bob.secret, 3) } })
    expect(wrongConfirm.response.status).toBe(400)
    const challenge = (await (await form({ username: alice.email, password: alice.password })).json()) as { mfa_token: string }
    expect((await form({ grant_type: 'mfa_otp', mfa_token: challenge.mfa_token, otp: '000000' })).status).toBe(401)

    const refused = await form({ grant_type: 'mfa_otp', mfa_token: challenge.mfa_token, otp: freshCode(alice.secret) })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    const confirm = await bob.client.POST('/api/users/me/two-factor/confirm', { body: { code: codeAt(bob.secret) } })
    expect(confirm.response.status).toBe(429)
    expect(confirm.error).toEqual({ detail: 'Too many wrong codes, try again later' })
  })
})
