import { afterAll, beforeAll, expect, it } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { bearer, createTestContext, type TestContext } from '../support/context.js'
import { QueryRecorder } from '../support/query-recorder.js'
import { testDatabase } from '../support/database.js'
import { signUp } from '../support/users.js'

// A hand-written read whose row becomes an entity (src/auth/current-user.ts: the signed-in user)
// must load what the ORM's own findOne loads, or a property added to the entity would be missing
// from the signed-in user. The ORM's SQL is the independent answer.

const statements: string[] = []
let ctx: TestContext
beforeAll(async () => {
  ctx = await createTestContext({ orm: { loggerFactory: (options) => new QueryRecorder(options, statements) } })
})
afterAll(() => ctx.close())

/** The column names a select statement lists, without table aliases and quotes. */
function selectedColumns(sql: string): string[] {
  const list = /^select (.*?) from /is.exec(sql)?.[1] ?? ''
  return list
    .split(',')
    .map((column) => column.trim().split('.').pop()!.replace(/[`"]/g, ''))
    .sort()
}

it(`reads the signed-in user with every column findOne(User) loads on ${testDatabase}`, async () => {
  const alice = await signUp(ctx)

  statements.length = 0
  expect((await ctx.fetch('/api/users/me', { headers: bearer(alice.token) })).status).toBe(200)
  const prepared = statements.find((sql) => /^select .* from sessions s join users u /is.test(sql))
  expect(prepared, statements.join('\n')).toBeDefined()

  statements.length = 0
  await ctx.orm.em.fork().findOne(User, alice.user.id)
  const orm = statements.find((sql) => /^select /i.test(sql))
  expect(orm).toBeDefined()

  // The session's column the read adds is no column of the user's.
  const userColumns = selectedColumns(prepared!).filter((column) => !column.includes(' as '))
  expect(userColumns).toEqual(selectedColumns(orm!))
  expect(selectedColumns(orm!)).toContain('password_changed_at')
  expect(selectedColumns(orm!)).not.toContain('password_hash')
})
