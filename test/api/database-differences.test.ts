import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../support/context.js'
import { onPostgres } from '../support/database.js'
import { newUser, register } from '../support/users.js'

// The one behaviour that differs between the databases, as the README states it.
let ctx: TestContext
beforeAll(async () => (ctx = await createTestContext()))
afterAll(() => ctx.close())

describe('POST /api/users', () => {
  // Emails are ASCII (the email rule refuses other letters), so only usernames can differ.
  it(`folds ${onPostgres ? 'every letter' : 'ASCII letters only'} when it compares usernames`, async () => {
    await register(ctx, newUser({ username: 'ÄB' }))
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username: 'äb' }) })
    if (onPostgres) {
      expect(response.status).toBe(400)
      expect(error).toEqual({ detail: 'Username already exists' })
    } else {
      expect(response.status).toBe(201)
    }
  })
})
