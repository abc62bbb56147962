import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RateLimit, User } from '../../src/db/entities/index.js'
import type { Orm } from '../../src/db/orm.js'
import { createSharedCounter } from '../../src/db/shared-counter.js'
import { openTestDatabase, testDatabase } from '../support/database.js'
import { userRow } from '../support/users.js'

describe(`createSharedCounter on ${testDatabase}`, () => {
  let orm: Orm
  beforeAll(async () => {
    orm = await openTestDatabase()
  })
  afterAll(() => orm.close())

  const counter = (keyPrefix: string, points = 1000) => createSharedCounter(orm, { keyPrefix, points, durationSeconds: 60 })
  const pointsOf = async (key: string) => (await orm.em.fork().findOne(RateLimit, { key }))?.points

  // On SQLite the pool has one connection. rate-limiter-flexible's upsert opens a SAVEPOINT on
  // it; were the connection handed back before the RELEASE, a transaction of the ORM would get it
  // mid-upsert, and its BEGIN fail ("cannot start a transaction within a transaction").
  it('keeps the connection until each count is written, while ORM transactions take turns on it', async () => {
    const counts = counter('burst')
    const work = Array.from({ length: 30 }, (_, i) => [
      counts.consume('key'),
      counts.consume(`key ${i % 3}`),
      orm.em.fork().transactional(async (em) => {
        em.create(User, userRow(`burst${i}`, `burst${i}@example.com`))
      }),
    ]).flat()
    const results = await Promise.allSettled(work)
    expect(results.filter((result) => result.status === 'rejected')).toEqual([])
    expect(await pointsOf('burst:key')).toBe(30)
    expect(await Promise.all([0, 1, 2].map((i) => pointsOf(`burst:key ${i}`)))).toEqual([10, 10, 10])
    expect(await orm.em.fork().count(User, { username: { $like: 'burst%' } })).toBe(30)
  })

  // A failed upsert must not leave the limiter's transaction open on the pool's connection: on
  // SQLite every later BEGIN of the ORM would fail, and its writes would never be committed.
  it('leaves no transaction open when a count fails, so the ORM goes on working', async () => {
    const counts = counter('failing')
    const connection = orm.em.getConnection()
    await connection.execute('alter table rate_limits rename to rate_limits_away')
    try {
      await expect(counts.consume('key')).rejects.toThrow(/rate_limits/)
    } finally {
      await connection.execute('alter table rate_limits_away rename to rate_limits')
    }
    await orm.em.fork().transactional(async (em) => {
      em.create(User, userRow('after', 'after@example.com'))
    })
    await counts.consume('key')
    expect(await pointsOf('failing:key')).toBe(1)
    expect(await orm.em.fork().count(User, { username: 'after' })).toBe(1)
  })
})
