import { afterEach, describe, expect, it, vi } from 'vitest'
import { formData } from '../../client/index.js'
import { hashLinkToken } from '../../src/auth/link-tokens.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, json, type TestContext } from '../support/context.js'
import { onePixelPng } from '../support/images.js'
import { resetLink, startMailServer, subjectOf, verificationLink, type MailServer } from '../support/mail.js'
import { login, signUpMailed } from '../support/users.js'

// Verification is under test here, not password hashing.
useCheapArgon2()

const INVALID = { detail: 'Invalid or expired verification token' }
const NOT_VERIFIED = { detail: 'Email not verified' }
const VERIFY_SUBJECT = 'Verify your email address'

let ctx: TestContext | undefined
let mail: MailServer | undefined

afterEach(async () => {
  vi.useRealTimers()
  await ctx?.outbox.idle()
  await ctx?.close()
  ctx = undefined
  await mail?.stop()
  mail = undefined
})

async function setUp(env: Record<string, string> = {}) {
  mail = await startMailServer()
  ctx = await createTestContext({ env: { PUBLIC_URL: 'https://blog.example', SMTP_URL: mail.url, ...env } })
  return { ctx, mail }
}

const verify = (context: TestContext, token: string) => context.fetch('/api/users/verify-email', { method: 'POST', ...json({ token }) })

type Account = Awaited<ReturnType<typeof signUpMailed>>

const me = async (account: Account) => (await account.client.GET('/api/users/me')).data!
const resend = (account: Account) => account.client.POST('/api/users/me/verification-email')
const changeEmail = (account: Account, email: string) =>
  account.client.PATCH('/api/users/{user_id}', {
    params: { path: { user_id: account.user.id } },
    body: { email, current_password: account.password },
  })

describe('email verification', () => {
  it('mails a link at sign-up whose token verifies the address once; the database keeps only its hash', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail, { username: 'Tom <b>&amp;</b> Jerry' })
    expect(alice.user.email_verified).toBe(false)
    const received = mail.received[0]!
    expect(received.message).toContain('Hello Tom <b>&amp;</b> Jerry,')
    expect(received.message).toContain('Tom &lt;b&gt;&amp;amp;&lt;/b&gt; Jerry')
    const { link, token } = verificationLink(received)
    expect(link).toBe(`https://blog.example/verify-email#token=${token}`)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    const rows = await ctx.orm.em.fork().getConnection().execute('select token_hash, email from email_verification_tokens')
    expect(rows).toEqual([{ token_hash: hashLinkToken(token), email: alice.email }])

    const answer = await verify(ctx, token)
    expect(answer.status).toBe(204)
    expect((await me(alice)).email_verified).toBe(true)

    const again = await verify(ctx, token)
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual(INVALID)
    const madeUp = await verify(ctx, 'not-a-token')
    expect(madeUp.status).toBe(400)
    expect(await madeUp.json()).toEqual(INVALID)
  })

  it('refuses a token past VERIFY_TOKEN_EXPIRE_HOURS and takes one just before', async () => {
    const { ctx, mail } = await setUp({ VERIFY_TOKEN_EXPIRE_HOURS: '24' })
    const alice = await signUpMailed(ctx, mail)
    const bob = await signUpMailed(ctx, mail)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 24 * 3_600_000 - 60_000)
    expect((await verify(ctx, bob.verificationToken)).status).toBe(204)
    vi.setSystemTime(Date.now() + 2 * 60_000)
    const expired = await verify(ctx, alice.verificationToken)
    expect(expired.status).toBe(400)
    expect(await expired.json()).toEqual(INVALID)
    vi.useRealTimers()
    expect((await me(alice)).email_verified).toBe(false)
    expect((await me(bob)).email_verified).toBe(true)
  })

  it('mails a new link on request, which ends the earlier one: only the newest link works', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    const sent = await resend(alice)
    expect(sent.response.status).toBe(202)
    expect(sent.data).toEqual({ detail: 'A verification link is on its way' })
    const newer = await mail.next()
    expect(newer.to).toEqual([alice.email])
    expect(subjectOf(newer)).toBe(VERIFY_SUBJECT)
    const { token } = verificationLink(newer)
    expect(token).not.toBe(alice.verificationToken)

    const older = await verify(ctx, alice.verificationToken)
    expect(older.status).toBe(400)
    expect(await older.json()).toEqual(INVALID)
    expect((await me(alice)).email_verified).toBe(false)
    expect((await verify(ctx, token)).status).toBe(204)
    expect((await me(alice)).email_verified).toBe(true)
  })

  it('answers 409 to a verified account asking for a link, and mails nothing', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    expect((await verify(ctx, alice.verificationToken)).status).toBe(204)
    const { error, response } = await resend(alice)
    expect(response.status).toBe(409)
    expect(error).toEqual({ detail: 'Email already verified' })
    await ctx.outbox.idle()
    expect(mail.received).toHaveLength(1)
  })

  it('limits new links per account (VERIFY_EMAIL_MAX_PER_USER), not the other accounts', async () => {
    const { ctx, mail } = await setUp({ VERIFY_EMAIL_MAX_PER_USER: '3' })
    const alice = await signUpMailed(ctx, mail)
    const bob = await signUpMailed(ctx, mail)
    for (let i = 0; i < 3; i++) expect((await resend(alice)).response.status).toBe(202)
    const { error, response } = await resend(alice)
    expect(response.status).toBe(429)
    expect(error).toEqual({ detail: 'Too many verification emails, try again later' })
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await resend(bob)).response.status).toBe(202)
    await ctx.outbox.idle()
    // Two registrations' mails, Alice's three new links and Bob's one.
    expect(mail.received.filter((received) => received.to[0] === alice.email)).toHaveLength(4)
    expect(mail.received.filter((received) => received.to[0] === bob.email)).toHaveLength(2)
  })

  it('counts wrong tokens against the client address (VERIFY_MAX_PER_CLIENT); a right one gives its place back', async () => {
    const { ctx, mail } = await setUp({ VERIFY_MAX_PER_CLIENT: '2' })
    const alice = await signUpMailed(ctx, mail)
    const bob = await signUpMailed(ctx, mail)
    expect((await verify(ctx, alice.verificationToken)).status).toBe(204)
    expect((await verify(ctx, 'wrong one')).status).toBe(400)
    // The right token gave its place back, so the second wrong one is still judged.
    expect((await verify(ctx, 'wrong two')).status).toBe(400)
    const refused = await verify(ctx, bob.verificationToken)
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({ detail: 'Too many email verification attempts, try again later' })
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await me(bob)).email_verified).toBe(false)
  })

  it('on an email change: a notice to the old address, a link to the new one, and the old address’s link ends', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    const moved = await changeEmail(alice, 'alice.new@example.com')
    expect(moved.response.status).toBe(200)
    expect(moved.data?.email_verified).toBe(false)

    const notice = await mail.next()
    expect(notice.to).toEqual([alice.email])
    expect(subjectOf(notice)).toBe('Your email address was changed')
    expect(notice.message).not.toContain('verify-email')
    const link = await mail.next()
    expect(link.to).toEqual(['alice.new@example.com'])
    expect(subjectOf(link)).toBe(VERIFY_SUBJECT)

    const old = await verify(ctx, alice.verificationToken)
    expect(old.status).toBe(400)
    expect(await old.json()).toEqual(INVALID)
    expect((await me(alice)).email_verified).toBe(false)
    expect((await verify(ctx, verificationLink(link).token)).status).toBe(204)
    expect((await me(alice)).email_verified).toBe(true)
  })

  it('makes a verified account unverified when its email changes; an unchanged email sent along keeps it verified', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    expect((await verify(ctx, alice.verificationToken)).status).toBe(204)
    const same = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { email: alice.email.toUpperCase(), username: 'alice renamed' },
    })
    expect(same.response.status).toBe(200)
    expect(same.data?.email_verified).toBe(true)
    const moved = await changeEmail(alice, 'alice.new@example.com')
    expect(moved.response.status).toBe(200)
    expect(moved.data?.email_verified).toBe(false)
    expect((await me(alice)).email_verified).toBe(false)
  })

  it('verifies only the address a token was mailed to, while it is still the account’s email', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    expect((await changeEmail(alice, 'alice.new@example.com')).response.status).toBe(200)
    // As if the old address's link had slipped past the change (a race): it still verifies nothing.
    await ctx.orm.em.fork().getConnection().execute('update email_verification_tokens set used_at = null where email = ?', [alice.email])
    const old = await verify(ctx, alice.verificationToken)
    expect(old.status).toBe(400)
    expect(await old.json()).toEqual(INVALID)
    expect((await me(alice)).email_verified).toBe(false)
  })

  it('mails a notice to the account’s address on a password change and on a reset', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    const changed = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: 'changed by the owner' },
    })
    expect(changed.response.status).toBe(204)
    const changeNotice = await mail.next()
    expect(changeNotice.to).toEqual([alice.email])
    expect(subjectOf(changeNotice)).toBe('Your password was changed')
    expect(changeNotice.message).toContain('https://blog.example/forgot-password')
    expect(changeNotice.message).not.toContain('changed by the owner')

    expect((await ctx.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email: alice.email }) })).status).toBe(202)
    const { token } = resetLink(await mail.next())
    const reset = await ctx.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: 'reset by the owner' }) })
    expect(reset.status).toBe(204)
    const resetNotice = await mail.next()
    expect(resetNotice.to).toEqual([alice.email])
    expect(subjectOf(resetNotice)).toBe('Your password was reset')
    expect(resetNotice.message).not.toContain(token)
    await login(ctx, alice.email, 'reset by the owner')
  })
})

describe('REQUIRE_VERIFIED_EMAIL', () => {
  const picture = async () => new File([new Uint8Array(await onePixelPng())], 'picture.png', { type: 'image/png' })
  const upload = async (account: Account) =>
    account.client.PUT('/api/users/{user_id}/picture', {
      params: { path: { user_id: account.user.id } },
      body: { file: await picture() },
      bodySerializer: formData,
    })
  const post = { title: 'A title', content: 'Some content' }
  const createPost = (account: Account) => account.client.POST('/api/posts', { body: post })
  const postPath = (id: number) => ({ params: { path: { post_id: id } } })

  it('when on, an unverified account reads and asks for links but cannot write posts or upload a picture', async () => {
    const { ctx, mail } = await setUp({ REQUIRE_VERIFIED_EMAIL: 'true' })
    const alice = await signUpMailed(ctx, mail)
    // Verified, Alice writes a post; a new email makes her unverified again.
    expect((await verify(ctx, alice.verificationToken)).status).toBe(204)
    const written = await createPost(alice)
    expect(written.response.status).toBe(201)
    const postId = written.data!.id
    expect((await changeEmail(alice, 'alice.new@example.com')).response.status).toBe(200)

    const refusals = [
      await createPost(alice),
      await alice.client.PUT('/api/posts/{post_id}', { ...postPath(postId), body: post }),
      await alice.client.PATCH('/api/posts/{post_id}', { ...postPath(postId), body: { title: 'Changed' } }),
      await alice.client.DELETE('/api/posts/{post_id}', postPath(postId)),
      await upload(alice),
    ]
    expect(refusals.map(({ response }) => response.status)).toEqual([403, 403, 403, 403, 403])
    expect(refusals.map(({ error }) => error)).toEqual(Array(5).fill(NOT_VERIFIED))

    // Reading, the account and asking for a link still work.
    expect((await alice.client.GET('/api/posts/{post_id}', postPath(postId))).data?.title).toBe(post.title)
    expect((await alice.client.GET('/api/users/me')).response.status).toBe(200)
    await mail.next()
    await mail.next()
    expect((await resend(alice)).response.status).toBe(202)
    const { token } = verificationLink(await mail.next())

    expect((await verify(ctx, token)).status).toBe(204)
    expect((await alice.client.PATCH('/api/posts/{post_id}', { ...postPath(postId), body: { title: 'Changed' } })).response.status).toBe(200)
    expect((await alice.client.PUT('/api/posts/{post_id}', { ...postPath(postId), body: post })).response.status).toBe(200)
    expect((await upload(alice)).response.status).toBe(200)
    expect((await createPost(alice)).response.status).toBe(201)
    expect((await alice.client.DELETE('/api/posts/{post_id}', postPath(postId))).response.status).toBe(204)
  })

  it('when off (the default), an unverified account writes posts and uploads a picture', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUpMailed(ctx, mail)
    expect(alice.user.email_verified).toBe(false)
    const written = await createPost(alice)
    expect(written.response.status).toBe(201)
    const postId = written.data!.id
    expect((await alice.client.PUT('/api/posts/{post_id}', { ...postPath(postId), body: post })).response.status).toBe(200)
    expect((await alice.client.PATCH('/api/posts/{post_id}', { ...postPath(postId), body: { title: 'Changed' } })).response.status).toBe(200)
    expect((await upload(alice)).response.status).toBe(200)
    expect((await alice.client.DELETE('/api/posts/{post_id}', postPath(postId))).response.status).toBe(204)
  })
})
