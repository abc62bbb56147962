import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userRow } from '../support/users.js'
import { User } from '../../src/db/entities/index.js'
import type { Orm } from '../../src/db/orm.js'
import { preparedQuery, queryPrepared } from '../../src/db/prepared.js'
import { openTestDatabase, testDatabase } from '../support/database.js'

const NAME_BY_ID = preparedQuery('test_name_by_id', 'select id, username from users where id = ? or username = ? order by id')

describe(`queryPrepared on ${testDatabase}`, () => {
  let orm: Orm
  beforeAll(async () => {
    orm = await openTestDatabase()
    const em = orm.em.fork()
    for (const name of ['ada', 'bob', 'cy']) em.create(User, userRow(name, `${name}@example.com`))
    await em.flush()
  })
  afterAll(() => orm.close())

  it('binds every placeholder in order, the same statement again with other values', async () => {
    const first = await queryPrepared<{ id: number; username: string }>(orm.em.fork(), NAME_BY_ID, [1, 'cy'])
    const again = await queryPrepared<{ id: number; username: string }>(orm.em.fork(), NAME_BY_ID, [2, 'nobody'])
    expect(first.map((row) => row.username)).toEqual(['ada', 'cy'])
    expect(again).toEqual([{ id: 2, username: 'bob' }])
  })

  it('runs many at once through the pool, each with its own answer', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => (i % 3) + 1)
    const rows = await Promise.all(ids.map((id) => queryPrepared<{ id: number }>(orm.em.fork(), NAME_BY_ID, [id, ''])))
    expect(rows.map(([row]) => row!.id)).toEqual(ids)
  })

  it('prepares a statement that failed anew, so it works once its cause is gone', async () => {
    const LATER = preparedQuery('test_later', 'select count(*) as n from later')
    await expect(queryPrepared(orm.em.fork(), LATER, [])).rejects.toThrow(/later/)
    await orm.em.getConnection().execute('create table later (id integer)')
    const rows = await queryPrepared<{ n: number | string }>(orm.em.fork(), LATER, [])
    expect(rows.map((row) => Number(row.n))).toEqual([0])
  })
})
