import { UniqueConstraintViolationException } from '@mikro-orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userRow } from '../support/users.js'
import { violatedConstraint } from '../../src/db/constraint.js'
import { User } from '../../src/db/entities/index.js'
import type { Orm } from '../../src/db/orm.js'
import { openTestDatabase, testDatabase } from '../support/database.js'

// The 400 for a taken username or email, when two requests race past the check in code, rests
// on knowing which unique index the database refused a write for.
let orm: Orm
beforeAll(async () => (orm = await openTestDatabase()))
afterAll(() => orm.close())

async function violation(user: { username: string; email: string }): Promise<UniqueConstraintViolationException> {
  const em = orm.em.fork()
  em.create(User, userRow(user.username, user.email))
  const error = await em.flush().catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(UniqueConstraintViolationException)
  return error as UniqueConstraintViolationException
}

describe('violatedConstraint', () => {
  it(`names the unique index a write on ${testDatabase} violated`, async () => {
    const em = orm.em.fork()
    em.create(User, userRow('Ärger', 'aerger@example.com'))
    await em.flush()
    const metadata = orm.em.getMetadata()
    expect(violatedConstraint(await violation({ username: 'ärger', email: 'other@example.com' }), metadata)).toBe(
      'users_username_key_unique',
    )
    expect(violatedConstraint(await violation({ username: 'other', email: 'AERGER@example.com' }), metadata)).toBe(
      'users_email_key_unique',
    )
  })

  // node-sqlite3's two message forms, read from the end of MikroORM's message (which begins with
  // the statement, holding whatever values a client sent).
  it.each([
    ['an index on columns, by table and column', 'UNIQUE constraint failed: users.username_key', 'users_username_key_unique'],
    ['an index on an expression, by name', "UNIQUE constraint failed: index 'users_old_ci_unique'", 'users_old_ci_unique'],
    ['columns no entity has a unique on', 'UNIQUE constraint failed: users.username', undefined],
    [
      'a value that quotes a message',
      "insert into `users` values ('UNIQUE constraint failed: users.email_key') - SQLITE_CONSTRAINT: UNIQUE constraint failed: users.username_key",
      'users_username_key_unique',
    ],
  ])('reads a SQLite message that names %s', (_, message, expected) => {
    const error = new UniqueConstraintViolationException(new Error(message))
    expect(violatedConstraint(error, orm.em.getMetadata())).toBe(expected)
  })
})
