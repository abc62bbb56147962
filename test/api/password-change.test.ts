import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../support/context.js'
import { login, signUp } from '../support/users.js'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

describe('PATCH /api/users/me/password', () => {
  it("changes the password, ends every other session but keeps this one, and the new password logs in", async () => {
    const alice = await signUp(ctx)
    const otherSession = await login(ctx, alice.email, alice.password)
    const { response } = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: 'a brand new password' },
    })
    expect(response.status).toBe(204)

    expect((await alice.client.GET('/api/users/me')).response.status).toBe(200)
    const other = await ctx.clientAs(otherSession).GET('/api/users/me')
    expect(other.response.status).toBe(401)
    expect(other.error).toEqual({ detail: 'Invalid or expired token' })
    const old = await ctx.client.POST('/api/users/token', {
      body: { username: alice.email, password: alice.password },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(old.response.status).toBe(401)

    const fresh = await login(ctx, alice.email, 'a brand new password')
    expect((await ctx.clientAs(fresh).GET('/api/users/me')).data?.id).toBe(alice.user.id)
  })

  it('refuses a wrong current password and an unchanged one, changing nothing', async () => {
    const alice = await signUp(ctx)
    const wrong = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: 'not my password', new_password: 'a brand new password' },
    })
    expect(wrong.response.status).toBe(400)
    expect(wrong.error).toEqual({ detail: 'Incorrect password' })
    const same = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: alice.password },
    })
    expect(same.response.status).toBe(400)
    expect(same.error).toEqual({ detail: 'New password must be different from the current password' })

    expect((await alice.client.GET('/api/users/me')).response.status).toBe(200)
    await login(ctx, alice.email, alice.password)
  })

  it.each([7, 129])('refuses a new password of %i characters, changing nothing', async (length) => {
    const alice = await signUp(ctx)
    const otherSession = await login(ctx, alice.email, alice.password)
    const { response, error } = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: 'n'.repeat(length) },
    })
    expect(response.status).toBe(422)
    expect((error?.detail as { loc: string[]; type: string }[]).map((d) => [d.loc, d.type])).toEqual([
      [['body', 'new_password'], length < 8 ? 'string_too_short' : 'string_too_long'],
    ])
    // A change would have ended the other session.
    expect((await ctx.clientAs(otherSession).GET('/api/users/me')).response.status).toBe(200)
  })

  it.each([8, 128])('takes a new password of %i characters, which then logs in', async (length) => {
    const alice = await signUp(ctx)
    const newPassword = 'n'.repeat(length)
    const { response } = await alice.client.PATCH('/api/users/me/password', {
      body: { current_password: alice.password, new_password: newPassword },
    })
    expect(response.status).toBe(204)
    const token = await login(ctx, alice.email, newPassword)
    expect((await ctx.clientAs(token).GET('/api/users/me')).data?.id).toBe(alice.user.id)
  })
})
