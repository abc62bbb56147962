import * as OTPAuth from 'otpauth'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { components } from '../../client/index.js'
import { SoftAuthenticator, type Tampering } from '../support/authenticator.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import type { LogEntry } from '../support/log.js'
import { logTo } from '../support/log.js'
import { startMailServer, subjectOf, type MailServer, type ReceivedMail } from '../support/mail.js'
import { signUp } from '../support/users.js'

// Passkeys are under test here, not password hashing.
useCheapArgon2()

const SITE = 'https://blog.example'
const FAILED = { detail: 'Passkey verification failed' }
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

type CreationOptions = components['schemas']['PasskeyCreationOptions']
type RequestOptions = components['schemas']['PasskeyRequestOptions']
type Account = Awaited<ReturnType<typeof signUp>>

let ctx: TestContext
let mail: MailServer
const logged: LogEntry[] = []

beforeAll(async () => {
  // Only Date is faked: challenges expire by the clock, and the clock only moves forward.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now())
  mail = await startMailServer()
  // In-process requests all come from one address: the tests of refusals would reach its limit.
  ctx = await createTestContext({
    env: { SMTP_URL: mail.url, PUBLIC_URL: SITE, LOGIN_MAX_FAILURES_PER_CLIENT: '100000', PASSKEY_OPTIONS_MAX_PER_CLIENT: '100000' },
    log: logTo((entry) => logged.push(entry), 'warn'),
    // The clock stands still: a failed send's retry must be due at once, or outbox.idle() waits forever.
    outbox: { retryMs: 0 },
  })
})
afterAll(async () => {
  await ctx.outbox.idle()
  await ctx.close()
  await mail.stop()
  vi.useRealTimers()
})

function post(path: string, body: unknown) {
  return ctx.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
}

async function registrationOptions(account: Account): Promise<CreationOptions> {
  const { data, response } = await account.client.POST('/api/users/me/passkeys/options')
  expect(response.status).toBe(200)
  return data!
}

/** Adds a passkey made by `authenticator` to the account; answers the API's Passkey. */
async function addPasskey(account: Account, authenticator: SoftAuthenticator, name = 'My laptop') {
  const options = await registrationOptions(account)
  const { data, response, error } = await account.client.POST('/api/users/me/passkeys', { body: { name, response: authenticator.create(options) } })
  expect(response.status, JSON.stringify(error)).toBe(201)
  return data!
}

async function loginOptions(): Promise<RequestOptions> {
  const { data, response } = await ctx.client.POST('/api/users/passkey-login/options')
  expect(response.status).toBe(200)
  return data!
}

/** A sign-in response from the authenticator's last passkey, for fresh options. */
async function assertion(authenticator: SoftAuthenticator, tampering: Tampering = {}, credentialId?: string) {
  return authenticator.get(await loginOptions(), credentialId, tampering)
}

const passkeyLogin = (response: unknown, extra: Record<string, string> = {}) => post('/api/users/passkey-login', { response, ...extra })

async function expectSignedInAs(response: Response, account: Account): Promise<{ access_token: string; refresh_token?: string }> {
  expect(response.status, await response.clone().text()).toBe(200)
  const body = (await response.json()) as { access_token: string; refresh_token?: string }
  const me = await ctx.clientAs(body.access_token).GET('/api/users/me')
  expect(me.data?.id).toBe(account.user.id)
  return body
}

async function expectFailed(response: Response) {
  expect(response.status).toBe(400)
  expect(await response.json()).toEqual(FAILED)
}

/** A new account with one passkey, and the authenticator that holds it. */
async function withPasskey() {
  const account = await signUp(ctx)
  const authenticator = new SoftAuthenticator(SITE)
  const passkey = await addPasskey(account, authenticator)
  return { ...account, authenticator, passkey }
}

/** The mails with this subject sent to this address, once the outbox has sent what it holds. */
async function mailsTo(email: string, subject: string): Promise<ReceivedMail[]> {
  await ctx.outbox.idle()
  return mail.received.filter((received) => received.to.includes(email) && subjectOf(received) === subject)
}

const rows = (sql: string, params: unknown[]) => ctx.orm.em.fork().getConnection().execute<Record<string, unknown>[]>(sql, params)

describe('adding a passkey', () => {
  it('answers creation options for this site, preferring a discoverable credential and user verification', async () => {
    const alice = await signUp(ctx)
    const { data, response } = await alice.client.POST('/api/users/me/passkeys/options')
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(data).toMatchObject({
      rp: { id: 'blog.example', name: 'Blog' },
      user: { name: alice.email, displayName: alice.username },
      attestation: 'none',
      timeout: 300_000,
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    })
    expect(data!.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('verifies the attestation, keeps the passkey under its name, lists it, excludes it next time and mails a notice', async () => {
    const alice = await signUp(ctx)
    const authenticator = new SoftAuthenticator(SITE)
    const added = await addPasskey(alice, authenticator, '  Work laptop  ')
    expect(added).toEqual({ id: expect.any(String), name: 'Work laptop', created_at: new Date().toISOString(), last_used_at: null, backed_up: true })

    const listed = await alice.client.GET('/api/users/me/passkeys')
    expect(listed.response.headers.get('Cache-Control')).toBe('no-store')
    expect(listed.data).toEqual([added])
    const [stored] = await rows('select credential_id, counter, transports, device_type, backed_up from passkeys where id = ?', [added.id])
    expect(stored).toMatchObject({ transports: 'internal,hybrid', device_type: 'multiDevice' })
    expect(Number(stored!.counter)).toBe(0)

    const again = await registrationOptions(alice)
    expect(again.excludeCredentials).toEqual([{ id: stored!.credential_id, type: 'public-key', transports: ['internal', 'hybrid'] }])

    const [notice] = await mailsTo(alice.email, 'A passkey was added to your account')
    expect(notice!.message).toContain('A passkey named "Work laptop" was added to your account')
    expect(notice!.message).toContain(`${SITE}/account`)
  })

  it('lists several passkeys newest first', async () => {
    const alice = await signUp(ctx)
    const first = await addPasskey(alice, new SoftAuthenticator(SITE), 'Phone')
    vi.setSystemTime(Date.now() + 1000)
    const second = await addPasskey(alice, new SoftAuthenticator(SITE), 'Key')
    expect((await alice.client.GET('/api/users/me/passkeys')).data!.map((passkey) => passkey.id)).toEqual([second.id, first.id])
  })

  async function refusedRegistration(account: Account, response: unknown) {
    const { response: answer, error } = await account.client.POST('/api/users/me/passkeys', { body: { name: 'Mine', response: response as never } })
    expect(answer.status).toBe(400)
    expect(error).toEqual(FAILED)
    expect((await account.client.GET('/api/users/me/passkeys')).data).toEqual([])
  }

  it('refuses a response made for another origin or RP ID, or another challenge', async () => {
    const alice = await signUp(ctx)
    const authenticator = new SoftAuthenticator(SITE)
    await refusedRegistration(alice, authenticator.create(await registrationOptions(alice), { origin: 'https://evil.example' }))
    await refusedRegistration(alice, authenticator.create(await registrationOptions(alice), { rpId: 'evil.example' }))
    await refusedRegistration(alice, authenticator.create(await registrationOptions(alice), { challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' }))
  })

  it('takes each challenge once, and only from the user it was given to, within 5 minutes', async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    const authenticator = new SoftAuthenticator(SITE)
    const options = await registrationOptions(alice)
    await refusedRegistration(bob, authenticator.create(options))
    // Bob's attempt did not use Alice's challenge: she still can.
    const added = await alice.client.POST('/api/users/me/passkeys', { body: { name: 'Mine', response: authenticator.create(options) } })
    expect(added.response.status).toBe(201)
    const again = await alice.client.POST('/api/users/me/passkeys', { body: { name: 'Again', response: new SoftAuthenticator(SITE).create(options) } })
    expect(again.error).toEqual(FAILED)

    const carol = await signUp(ctx)
    const late = await registrationOptions(carol)
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1)
    await refusedRegistration(carol, new SoftAuthenticator(SITE).create(late))
  })

  it('refuses a credential that is registered already, and malformed data, with a 400', async () => {
    const alice = await signUp(ctx)
    const authenticator = new SoftAuthenticator(SITE)
    const response = authenticator.create(await registrationOptions(alice))
    expect((await alice.client.POST('/api/users/me/passkeys', { body: { name: 'Once', response } })).response.status).toBe(201)
    // The same credential again, with a challenge of its own.
    const replayed = { ...response, response: { ...response.response, clientDataJSON: authenticator.create(await registrationOptions(alice)).response.clientDataJSON } }
    const duplicate = await alice.client.POST('/api/users/me/passkeys', { body: { name: 'Twice', response: replayed } })
    expect(duplicate.error).toEqual(FAILED)

    const bob = await signUp(ctx)
    const options = await registrationOptions(bob)
    const good = new SoftAuthenticator(SITE).create(options)
    await refusedRegistration(bob, { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } })
    await refusedRegistration(bob, { ...good, response: { ...good.response, attestationObject: 'AAAA' } })
  })

  it('answers 422 for a missing or empty name, or a response of the wrong shape', async () => {
    const alice = await signUp(ctx)
    const response = new SoftAuthenticator(SITE).create(await registrationOptions(alice))
    for (const body of [{ response }, { name: '   ', response }, { name: 'x'.repeat(65), response }, { name: 'Mine', response: { ...response, type: 'other' } }]) {
      const answer = await alice.client.POST('/api/users/me/passkeys', { body: body as never })
      expect(answer.response.status).toBe(422)
    }
  })
})

describe('signing in with a passkey', () => {
  it('answers request options for a discoverable credential: no account named', async () => {
    const { data, response } = await ctx.client.POST('/api/users/passkey-login/options')
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(data).toMatchObject({ rpId: 'blog.example', userVerification: 'preferred', timeout: 300_000 })
    expect(data!.allowCredentials ?? []).toEqual([])
  })

  it('answers the password grant\'s tokens and starts a session like it; the refresh token works', async () => {
    const alice = await withPasskey()
    const tokens = await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator)), alice)
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800, refresh_token: expect.any(String) })

    const sessions = await ctx.clientAs(tokens.access_token).GET('/api/users/me/sessions')
    expect(sessions.data!.filter((session) => session.current)).toHaveLength(1)
    const refreshed = await ctx.fetch('/api/users/token', { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }) })
    expect(refreshed.status).toBe(200)

    const [listed] = (await alice.client.GET('/api/users/me/passkeys')).data!
    expect(listed!.last_used_at).toBe(new Date().toISOString())
    const [stored] = await rows('select counter from passkeys where id = ?', [alice.passkey.id])
    expect(Number(stored!.counter)).toBe(1)
  })

  it('sets the refresh token in the HttpOnly cookie for client_id=web, as the token route does', async () => {
    const alice = await withPasskey()
    const response = await passkeyLogin(await assertion(alice.authenticator), { client_id: 'web' })
    expect(response.headers.get('Set-Cookie')).toMatch(/^refresh_token=[^;]+; .*HttpOnly/)
    const body = await expectSignedInAs(response, alice)
    expect(body).not.toHaveProperty('refresh_token')
  })

  it('asks for no second factor when two-factor authentication is on', async () => {
    const alice = await withPasskey()
    const started = await alice.client.POST('/api/users/me/two-factor', { body: { password: alice.password } })
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(started.data!.secret), algorithm: 'SHA1', digits: 6, period: 30 })
    expect((await alice.client.POST('/api/users/me/two-factor/confirm', { body: { code: totp.generate() } })).response.status).toBe(200)
    const password = await ctx.fetch('/api/users/token', { method: 'POST', headers: FORM, body: new URLSearchParams({ username: alice.email, password: alice.password }) })
    expect(((await password.json()) as { detail: string }).detail).toBe('Second factor required')

    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator)), alice)
  })

  it('takes each challenge once: the same response again, or another response to it, is refused', async () => {
    const alice = await withPasskey()
    const options = await loginOptions()
    const response = alice.authenticator.get(options)
    await expectSignedInAs(await passkeyLogin(response), alice)
    await expectFailed(await passkeyLogin(response))
    await expectFailed(await passkeyLogin(alice.authenticator.get(options)))
  })

  it('lets exactly one of two verifications of one challenge at once through', async () => {
    const alice = await withPasskey()
    const options = await loginOptions()
    const [first, second] = [alice.authenticator.get(options, undefined, { counter: 7 }), alice.authenticator.get(options, undefined, { counter: 8 })]
    const answers = await Promise.all([passkeyLogin(first), passkeyLogin(second)])
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400])
  })

  it('refuses a challenge 5 minutes old, and deletes it when the next options are made', async () => {
    const alice = await withPasskey()
    const options = await loginOptions()
    vi.setSystemTime(Date.now() + 5 * 60_000)
    await expectFailed(await passkeyLogin(alice.authenticator.get(options)))
    const kept = () => rows('select challenge from webauthn_challenges where challenge = ?', [options.challenge])
    expect(await kept()).toHaveLength(1)
    await loginOptions()
    expect(await kept()).toEqual([])
  })

  it('refuses a challenge the server never gave, and one given to add a passkey', async () => {
    const alice = await withPasskey()
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' })))
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { challenge: 'A'.repeat(4000) })))
    const forRegistration = await registrationOptions(alice)
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { challenge: forRegistration.challenge })))
  })

  it('refuses a response made for another origin or another RP ID', async () => {
    const alice = await withPasskey()
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { origin: 'https://blog.example.evil.com' })))
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { origin: 'http://blog.example' })))
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { rpId: 'evil.example' })))
    // Still a good passkey: a faithful response signs in.
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator)), alice)
  })

  it('refuses an unknown credential, a bad signature, and a passkey presented with another user handle', async () => {
    const alice = await withPasskey()
    const stranger = new SoftAuthenticator(SITE)
    stranger.create(await registrationOptions(alice))
    await expectFailed(await passkeyLogin(await assertion(stranger)))
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { badSignature: true })))

    const bob = await withPasskey()
    const bobsKey = (await rows('select credential_id from passkeys where id = ?', [bob.passkey.id]))[0]!.credential_id as string
    // Alice's authenticator signs, presenting Bob's credential id: his public key does not verify it.
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { credentialId: bobsKey })))
    const handleOfAlice = await assertion(alice.authenticator)
    const bobs = await assertion(bob.authenticator)
    await expectFailed(await passkeyLogin({ ...bobs, response: { ...bobs.response, userHandle: handleOfAlice.response.userHandle } }))
  })

  it('refuses a counter that went backwards, and logs a warning naming the passkey', async () => {
    const alice = await withPasskey()
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator, { counter: 10 })), alice)
    for (const counter of [10, 3]) {
      logged.length = 0
      await expectFailed(await passkeyLogin(await assertion(alice.authenticator, { counter })))
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          passkey_id: alice.passkey.id,
          user_id: alice.user.id,
          stored_counter: 10,
          presented_counter: counter,
          msg: expect.stringContaining('Passkey counter went backwards'),
        }),
      )
    }
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator, { counter: 11 })), alice)
  })

  it('accepts an authenticator that keeps no counter (0 every time)', async () => {
    const alice = await withPasskey()
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator, { counter: 0 })), alice)
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator, { counter: 0 })), alice)
  })

  it('answers 400, never a 500, for malformed data, and 422 for a response of the wrong shape', async () => {
    const alice = await withPasskey()
    const good = await assertion(alice.authenticator)
    await expectFailed(await passkeyLogin({ ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } }))
    await expectFailed(await passkeyLogin({ ...(await assertion(alice.authenticator)), response: { ...good.response, authenticatorData: 'AA' } }))
    await expectFailed(await passkeyLogin({ ...good, response: { ...good.response, signature: '' } }))
    const shapeless = await passkeyLogin({ ...good, response: { clientDataJSON: good.response.clientDataJSON } })
    expect(shapeless.status).toBe(422)
    expect(((await shapeless.json()) as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['body', 'response', 'response', 'authenticatorData'])
  })
})

describe('limits', () => {
  it('counts failed verifications against the client address with failed logins; a passkey sign-in gives its place back', async () => {
    // In-process requests have no socket: they all come from the one address this context limits.
    const limited = await createTestContext({ env: { PUBLIC_URL: SITE, LOGIN_MAX_FAILURES_PER_CLIENT: '3' } })
    try {
      const alice = await signUp(limited)
      const authenticator = new SoftAuthenticator(SITE)
      const options = (await alice.client.POST('/api/users/me/passkeys/options')).data!
      const request = (path: string, body: unknown) =>
        limited.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${alice.token}` }, body: JSON.stringify(body) })
      expect((await request('/api/users/me/passkeys', { name: 'Mine', response: authenticator.create(options) })).status).toBe(201)
      const signIn = async (tampering: Tampering = {}) =>
        request('/api/users/passkey-login', { response: authenticator.get((await limited.client.POST('/api/users/passkey-login/options')).data!, undefined, tampering) })

      for (let i = 0; i < 4; i++) expect((await signIn()).status).toBe(200)
      expect((await signIn({ badSignature: true })).status).toBe(400)
      expect((await request('/api/users/me/passkeys', { name: 'Other', response: new SoftAuthenticator('https://evil.example').create(options) })).status).toBe(400)
      const login = (password: string) =>
        limited.fetch('/api/users/token', { method: 'POST', headers: FORM, body: new URLSearchParams({ username: alice.email, password }) })
      expect((await login('not the password')).status).toBe(401)

      for (const refused of [await signIn(), await request('/api/users/me/passkeys', { name: 'More', response: new SoftAuthenticator(SITE).create(options) })]) {
        expect(refused.status).toBe(429)
        expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
        expect(await refused.json()).toEqual({ detail: 'Too many login attempts, try again later' })
      }
      expect((await login(alice.password)).status).toBe(429)
    } finally {
      await limited.close()
    }
  })

  it('counts sign-in options against the client address, so one address cannot fill the challenges table', async () => {
    const limited = await createTestContext({ env: { PUBLIC_URL: SITE, PASSKEY_OPTIONS_MAX_PER_CLIENT: '3' } })
    try {
      const challenges = async () => (await limited.orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*) as n from webauthn_challenges'))[0]!.n
      const ask = () => limited.fetch('/api/users/passkey-login/options', { method: 'POST' })
      for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200)
      const refused = await ask()
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
      expect(await refused.json()).toEqual({ detail: 'Too many passkey sign-in requests, try again later' })
      expect(Number(await challenges())).toBe(3)
      // Options to add a passkey need a signed-in user, and are not counted.
      const alice = await signUp(limited)
      expect((await alice.client.POST('/api/users/me/passkeys/options')).response.status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})

describe('renaming and removing', () => {
  it('renames a passkey', async () => {
    const alice = await withPasskey()
    const params = { path: { passkey_id: alice.passkey.id } }
    const renamed = await alice.client.PATCH('/api/users/me/passkeys/{passkey_id}', { params, body: { name: 'Old phone' } })
    expect(renamed.response.status).toBe(200)
    expect(renamed.data).toEqual({ ...alice.passkey, name: 'Old phone' })
    expect((await alice.client.GET('/api/users/me/passkeys')).data).toEqual([renamed.data])
    const empty = await alice.client.PATCH('/api/users/me/passkeys/{passkey_id}', { params, body: { name: '' } })
    expect(empty.response.status).toBe(422)
  })

  it("answers 404 for another user's passkey, and for one that does not exist, and changes nothing", async () => {
    const alice = await withPasskey()
    const mallory = await signUp(ctx)
    const params = { path: { passkey_id: alice.passkey.id } }
    const renamed = await mallory.client.PATCH('/api/users/me/passkeys/{passkey_id}', { params, body: { name: 'Mine now' } })
    expect(renamed.response.status).toBe(404)
    expect(renamed.error).toEqual({ detail: 'Passkey not found' })
    const removed = await mallory.client.DELETE('/api/users/me/passkeys/{passkey_id}', { params })
    expect(removed.response.status).toBe(404)
    expect(removed.error).toEqual({ detail: 'Passkey not found' })
    const missing = await alice.client.DELETE('/api/users/me/passkeys/{passkey_id}', { params: { path: { passkey_id: '00000000-0000-4000-8000-000000000000' } } })
    expect(missing.response.status).toBe(404)

    expect((await alice.client.GET('/api/users/me/passkeys')).data).toEqual([alice.passkey])
    await expectSignedInAs(await passkeyLogin(await assertion(alice.authenticator)), alice)
  })

  it('answers 422 for an id that is not a UUID', async () => {
    const alice = await withPasskey()
    const params = { path: { passkey_id: 'not-a-uuid' } }
    const renamed = await alice.client.PATCH('/api/users/me/passkeys/{passkey_id}', { params, body: { name: 'Other' } })
    const removed = await alice.client.DELETE('/api/users/me/passkeys/{passkey_id}', { params })
    for (const { response, error } of [renamed, removed]) {
      expect(response.status).toBe(422)
      expect((error as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['path', 'passkey_id'])
    }
    expect((await alice.client.GET('/api/users/me/passkeys')).data).toEqual([alice.passkey])
  })

  it('removes a passkey: it signs in no more, and a notice is mailed', async () => {
    const alice = await withPasskey()
    const removed = await alice.client.DELETE('/api/users/me/passkeys/{passkey_id}', { params: { path: { passkey_id: alice.passkey.id } } })
    expect(removed.response.status).toBe(204)
    expect((await alice.client.GET('/api/users/me/passkeys')).data).toEqual([])
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator)))
    const [notice] = await mailsTo(alice.email, 'A passkey was removed from your account')
    expect(notice!.message).toContain('The passkey named "My laptop" was removed from your account')
  })
})

describe('deleting the account', () => {
  it('deletes its passkeys and its challenges', async () => {
    const alice = await withPasskey()
    await registrationOptions(alice)
    const count = async (table: string) => Number((await rows(`select count(*) as n from ${table} where user_id = ?`, [alice.user.id]))[0]!.n)
    expect(await count('passkeys')).toBe(1)
    expect(await count('webauthn_challenges')).toBe(1)
    const deleted = await alice.client.DELETE('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } } })
    expect(deleted.response.status).toBe(204)
    expect(await count('passkeys')).toBe(0)
    expect(await count('webauthn_challenges')).toBe(0)
    await expectFailed(await passkeyLogin(await assertion(alice.authenticator)))
  })
})
