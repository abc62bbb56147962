import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MikroORM } from '@mikro-orm/sqlite'
import { expect, it } from 'vitest'
import { Post, User } from '../../src/db/entities/index.js'
import { sqliteMigrations as migrationsList } from '../../src/db/migrations/sqlite/index.js'
import { initORM, ormOptions } from '../../src/db/orm.js'

it('upgrades a database made by the first migration in place, keeping its rows', async () => {
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'blog-migrate-')), 'blog.db')}`
  const first = migrationsList[0]!.name

  const old = await MikroORM.init(ormOptions(url))
  await old.getMigrator().up({ to: first })
  const connection = old.em.getConnection()
  await connection.execute("insert into users (username, email, password_hash) values ('old', 'old@example.com', 'x')")
  await connection.execute("insert into posts (title, content, date_posted, user_id) values ('t', 'c', 0, 1)")
  await old.close()

  const orm = await initORM(url)
  try {
    const executed = await orm.getMigrator().getExecutedMigrations()
    expect(executed.map((migration) => migration.name)).toEqual(migrationsList.map((migration) => migration.name))
    const em = orm.em.fork()
    const user = await em.findOneOrFail(User, { username: 'old' })
    expect(user.passwordChangedAt).toBeNull()
    expect(await em.count(Post, { author: user })).toBe(1)
  } finally {
    await orm.close()
  }
})
