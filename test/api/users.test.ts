import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Post, User } from '../../src/db/entities/index.js'
import { bearer, createTestContext, json, type TestContext } from '../support/context.js'
import { startMailServer } from '../support/mail.js'
import { newUser, register, signUp, signUpMailed } from '../support/users.js'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

describe('POST /api/users', () => {
  it('creates an account, keeps the username casing and lowercases the email', async () => {
    const input = newUser({ username: 'CoreyMS', email: 'Corey.Schafer@Example.COM' })
    const { data, response } = await ctx.client.POST('/api/users', { body: input })
    expect(response.status).toBe(201)
    expect(data).toEqual({
      id: expect.any(Number),
      username: 'CoreyMS',
      email: 'corey.schafer@example.com',
      email_verified: false,
      two_factor_enabled: false,
      image_file: null,
      image_path: '/static/profile_pics/default.jpg',
    })
  })

  it('stores an Argon2id hash and never returns it', async () => {
    const input = newUser()
    const response = await ctx.fetch('/api/users', { method: 'POST', ...json(input) })
    const text = await response.text()
    expect(text).not.toMatch(/hash|argon|password/i)
    const stored = await ctx.orm.em.fork().findOneOrFail(User, { email: input.email }, { populate: ['passwordHash'] })
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/)
  })

  it('rejects a username or email that exists in another case', async () => {
    await register(ctx, newUser({ username: 'Alice', email: 'alice@example.com' }))
    const sameName = await ctx.client.POST('/api/users', { body: newUser({ username: 'ALICE' }) })
    expect(sameName.response.status).toBe(400)
    expect(sameName.error).toEqual({ detail: 'Username already exists' })
    const sameEmail = await ctx.client.POST('/api/users', { body: newUser({ email: 'Alice@Example.com' }) })
    expect(sameEmail.response.status).toBe(400)
    expect(sameEmail.error).toEqual({ detail: 'Email already exists' })
  })

  it('gives one 201 and 400s, never a 500, to concurrent registrations of one email', async () => {
    const attempts = Array.from({ length: 8 }, (_, i) =>
      ctx.client.POST('/api/users', { body: newUser({ email: 'race@example.com', username: `racer${i}` }) }),
    )
    const statuses = (await Promise.all(attempts)).map((r) => r.response.status).sort()
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400, 400, 400])
    expect(await ctx.orm.em.fork().count(User, {})).toBe(1)
  })

  it('validates every field and reports each problem FastAPI-style', async () => {
    const { response, error } = await ctx.client.POST('/api/users', {
      body: { username: '', email: 'not-an-email', password: 'short' },
    })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([
      { loc: ['body', 'username'], msg: 'String should have at least 1 character', type: 'string_too_short' },
      { loc: ['body', 'email'], msg: expect.any(String), type: 'value_error' },
      { loc: ['body', 'password'], msg: 'String should have at least 8 characters', type: 'string_too_short' },
    ])
  })

  it('reports missing fields and enforces the maximum lengths', async () => {
    const missing = await ctx.fetch('/api/users', { method: 'POST', ...json({}) })
    expect(missing.status).toBe(422)
    const body = (await missing.json()) as { detail: { loc: string[]; type: string }[] }
    expect(body.detail.map((d) => [d.loc.join('.'), d.type])).toEqual([
      ['body.username', 'missing'],
      ['body.email', 'missing'],
      ['body.password', 'missing'],
    ])
    const tooLong = await ctx.client.POST('/api/users', {
      body: newUser({ username: 'u'.repeat(51), password: 'p'.repeat(129) }),
    })
    expect(tooLong.response.status).toBe(422)
    expect((tooLong.error?.detail as { type: string }[]).map((d) => d.type)).toEqual([
      'string_too_long',
      'string_too_long',
    ])
  })
  it.each([
    [7, 422],
    [8, 201],
    [128, 201],
    [129, 422],
  ])('answers a password of %i characters with %i', async (length, status) => {
    const input = newUser({ password: 'p'.repeat(length) })
    const { response, error } = await ctx.client.POST('/api/users', { body: input })
    expect(response.status).toBe(status)
    if (status === 422) {
      expect(error?.detail).toEqual([
        length < 8
          ? { loc: ['body', 'password'], msg: 'String should have at least 8 characters', type: 'string_too_short' }
          : { loc: ['body', 'password'], msg: 'String should have at most 128 characters', type: 'string_too_long' },
      ])
    }
    expect(await ctx.orm.em.fork().count(User, { email: input.email })).toBe(status === 201 ? 1 : 0)
  })

  it('refuses a password with an unpaired surrogate, which Argon2 could not tell from U+FFFD', async () => {
    const response = await ctx.fetch('/api/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"username": "surrogate", "email": "s@example.com", "password": "password\\ud800"}',
    })
    expect(response.status).toBe(422)
    const body = (await response.json()) as { detail: { loc: string[] }[] }
    expect(body.detail[0]?.loc).toEqual(['body', 'password'])
  })
})

describe('GET /api/users/me', () => {
  it('returns the private profile to its owner', async () => {
    const alice = await signUp(ctx)
    const me = await alice.client.GET('/api/users/me')
    expect(me.response.status).toBe(200)
    expect(me.data).toEqual(alice.user)
    expect(me.data?.email).toBe(alice.email)
  })
})

describe('GET /api/users/{user_id}', () => {
  it('returns the public profile, without the email, to anyone', async () => {
    const alice = await register(ctx, newUser())
    const pub = await ctx.client.GET('/api/users/{user_id}', { params: { path: { user_id: alice.id } } })
    expect(pub.response.status).toBe(200)
    expect(pub.data).toEqual({ id: alice.id, username: alice.username, image_file: null, image_path: alice.image_path })
    expect(JSON.stringify(pub.data)).not.toContain('@')
  })

  it('answers 404 for an unknown user and 422 for an id that is not a positive integer', async () => {
    const missing = await ctx.client.GET('/api/users/{user_id}', { params: { path: { user_id: 999 } } })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toEqual({ detail: 'User not found' })
    for (const bad of ['abc', '0', '-1', '1.5', '1.0', '1e1', '0x10', '+1', '%201', '99999999999999999999']) {
      const response = await ctx.fetch(`/api/users/${bad}`)
      expect(response.status, bad).toBe(422)
      const body = (await response.json()) as { detail: { loc: string[] }[] }
      expect(body.detail[0]?.loc).toEqual(['path', 'user_id'])
    }
  })
})

describe('GET /api/users/{user_id}/posts', () => {
  it("lists only that user's posts, newest first", async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    for (const title of ['a1', 'a2']) await alice.client.POST('/api/posts', { body: { title, content: 'x' } })
    await bob.client.POST('/api/posts', { body: { title: 'b1', content: 'x' } })
    const { data } = await ctx.client.GET('/api/users/{user_id}/posts', {
      params: { path: { user_id: alice.user.id }, query: { limit: 1 } },
    })
    expect(data).toMatchObject({ total: 2, skip: 0, limit: 1, has_more: true })
    expect(data?.posts.map((p) => p.title)).toEqual(['a2'])
  })

  it('answers 404 for an unknown user and 422 for bad paging', async () => {
    const missing = await ctx.client.GET('/api/users/{user_id}/posts', { params: { path: { user_id: 4242 } } })
    expect(missing.response.status).toBe(404)
    const bad = await ctx.fetch('/api/users/1/posts?limit=0')
    expect(bad.status).toBe(422)
  })
})

describe('PATCH /api/users/{user_id}', () => {
  // A picture is set by uploading it; test/api/pictures.test.ts has what image_file may be.
  it('updates your own username and email', async () => {
    const alice = await signUp(ctx)
    const { data, response } = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username: 'Alice2', email: 'NEW@Example.com', image_file: null, current_password: alice.password },
    })
    expect(response.status).toBe(200)
    expect(data).toEqual({
      id: alice.user.id,
      username: 'Alice2',
      email: 'new@example.com',
      email_verified: false,
      two_factor_enabled: false,
      image_file: null,
      image_path: '/static/profile_pics/default.jpg',
    })
  })

  it('needs the current password to change the email: a stolen token alone cannot take the account', async () => {
    const alice = await signUp(ctx)
    // The attacker holds Alice's access token, not her password.
    const patch = (body: { email?: string; username?: string; current_password?: string }) =>
      alice.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } }, body })

    const bare = await patch({ email: 'mallory@example.com' })
    expect(bare.response.status).toBe(422)
    expect(bare.error).toEqual({
      detail: [{ loc: ['body', 'current_password'], msg: 'Current password is needed to change the email', type: 'value_error' }],
    })
    const guessed = await patch({ email: 'mallory@example.com', username: 'mallory', current_password: 'a guess at it' })
    expect(guessed.response.status).toBe(400)
    expect(guessed.error).toEqual({ detail: 'Incorrect password' })
    // Nothing changed, the username that came with it neither.
    expect((await alice.client.GET('/api/users/me')).data).toMatchObject({ email: alice.email, username: alice.username })
    const stolen = await ctx.fetch('/api/users/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'mallory@example.com', password: alice.password }).toString(),
    })
    expect(stolen.status).toBe(401)

    const owner = await patch({ email: 'Alice.New@example.com', current_password: alice.password })
    expect(owner.response.status).toBe(200)
    expect(owner.data?.email).toBe('alice.new@example.com')
  })

  it('needs no password for a username or image_file change, nor for the unchanged email sent along', async () => {
    const alice = await signUp(ctx)
    const patch = (body: { email?: string; username?: string; image_file?: null }) =>
      alice.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } }, body })
    expect((await patch({ username: 'alice_renamed' })).response.status).toBe(200)
    expect((await patch({ image_file: null })).response.status).toBe(200)
    // The account page sends the email with every change.
    const both = await patch({ username: 'alice_again', email: alice.email.toUpperCase() })
    expect(both.response.status).toBe(200)
    expect(both.data).toMatchObject({ username: 'alice_again', email: alice.email })
  })

  it('lets you change the casing of your own username', async () => {
    const alice = await signUp(ctx, { username: 'alice' })
    const { response, data } = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username: 'ALICE' },
    })
    expect(response.status).toBe(200)
    expect(data?.username).toBe('ALICE')
  })

  it("refuses another user's account (403 even when it does not exist) and taken names", async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    for (const userId of [bob.user.id, 999]) {
      const other = await alice.client.PATCH('/api/users/{user_id}', {
        params: { path: { user_id: userId } },
        body: { username: 'mallory' },
      })
      expect(other.response.status).toBe(403)
      expect(other.error).toEqual({ detail: 'Not authorized to update this user' })
    }
    const taken = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { email: bob.email.toUpperCase(), current_password: alice.password },
    })
    expect(taken.response.status).toBe(400)
    expect(taken.error).toEqual({ detail: 'Email already exists' })
  })

  it('accepts only a plain file name as image_file', async () => {
    const alice = await signUp(ctx)
    for (const image_file of ['../etc/passwd', 'a/b.jpg', 'a\\b.jpg', '..', 'x..y.jpg', '', 'a'.repeat(201)]) {
      const { response } = await alice.client.PATCH('/api/users/{user_id}', {
        params: { path: { user_id: alice.user.id } },
        body: { image_file },
      })
      expect(response.status, image_file).toBe(422)
    }
  })

  it('needs a token', async () => {
    const { response, error } = await ctx.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: 1 } },
      body: { username: 'x' },
    })
    expect(response.status).toBe(401)
    expect(error).toEqual({ detail: 'Not authenticated' })
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  })
})

describe('PATCH /api/users/{user_id} email notice', () => {
  it('mails the old address a notice with the forgot-password link, after the change; a username change mails nothing', async () => {
    const mail = await startMailServer()
    const mailed = await createTestContext({ env: { PUBLIC_URL: 'https://blog.example', SMTP_URL: mail.url } })
    const { outbox } = mailed
    try {
      const alice = await signUpMailed(mailed, mail, { username: 'Tom <b>&amp;</b> Jerry' })
      const patch = (body: { email?: string; username?: string; current_password?: string }) =>
        alice.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } }, body })
      expect((await patch({ username: 'Tom <b>&amp;</b> Jerry 2' })).response.status).toBe(200)
      expect((await patch({ email: 'mallory@example.com', current_password: 'wrong password' })).response.status).toBe(400)
      await outbox.idle()
      // Only the registration's verification mail.
      expect(mail.received).toHaveLength(1)

      expect((await patch({ email: 'tom.new@example.com', current_password: alice.password })).response.status).toBe(200)
      const notice = await mail.next()
      expect(notice.to).toEqual([alice.email])
      expect(notice.message).toMatch(/^Subject: Your email address was changed\r?$/m)
      expect(notice.message).toContain('Hello Tom <b>&amp;</b> Jerry 2,')
      expect(notice.message).toContain('Tom &lt;b&gt;&amp;amp;&lt;/b&gt; Jerry 2')
      expect(notice.message).toContain('https://blog.example/forgot-password')
      // The new address is not written to the old one.
      expect(notice.message).not.toContain('tom.new@example.com')
      // Then the verification link to the new address (tested in email-verification.test.ts).
      expect((await mail.next()).to).toEqual(['tom.new@example.com'])
      await outbox.idle()
      expect(mail.received).toHaveLength(3)
    } finally {
      await outbox.idle()
      await mailed.close()
      await mail.stop()
    }
  })
})

describe('DELETE /api/users/{user_id}', () => {
  it('deletes the account and all its posts, and only your own', async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    await alice.client.POST('/api/posts', { body: { title: 't', content: 'c' } })
    await bob.client.POST('/api/posts', { body: { title: 't', content: 'c' } })

    const forbidden = await bob.client.DELETE('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } } })
    expect(forbidden.response.status).toBe(403)
    expect(forbidden.error).toEqual({ detail: 'Not authorized to delete this user' })

    const deleted = await alice.client.DELETE('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } } })
    expect(deleted.response.status).toBe(204)
    const em = ctx.orm.em.fork()
    expect(await em.count(User, { id: alice.user.id })).toBe(0)
    expect(await em.count(Post, {})).toBe(1)

    const again = await alice.client.GET('/api/users/me')
    expect(again.response.status).toBe(401)
    expect(again.error).toEqual({ detail: 'User not found' })
  })

  it('needs a token', async () => {
    const response = await ctx.fetch('/api/users/1', { method: 'DELETE', headers: bearer('not-a-token') })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ detail: 'Invalid or expired token' })
  })
})
