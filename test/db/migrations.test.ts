import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MikroORM } from '@mikro-orm/core'
import { afterEach, expect, inject, it } from 'vitest'
import { Post, User } from '../../src/db/entities/index.js'
import { postgresqlMigrations } from '../../src/db/migrations/postgresql/index.js'
import { sqliteMigrations } from '../../src/db/migrations/sqlite/index.js'
import { initORM, ormOptions } from '../../src/db/orm.js'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import { silentLog } from '../../src/http/logger.js'
import { onPostgres, testDatabase } from '../support/database.js'

let drop = async () => {}
afterEach(() => drop())

async function emptyDatabase(): Promise<string> {
  if (!onPostgres) return `sqlite:${join(mkdtempSync(join(tmpdir(), 'blog-migrate-')), 'blog.db')}`
  const database = await createScratchDatabase(inject('postgresUrl'), 'blog_migrate')
  drop = database.drop
  return database.url
}

it(`upgrades a ${testDatabase} database made by the first migration in place, keeping its rows`, async () => {
  const url = await emptyDatabase()
  const migrationsList = onPostgres ? postgresqlMigrations : sqliteMigrations
  const first = migrationsList[0]!.name

  const old = await MikroORM.init(ormOptions(url, { log: silentLog }))
  await old.getMigrator().up({ to: first })
  const connection = old.em.getConnection()
  await connection.execute("insert into users (username, email, password_hash, image_file) values ('old', 'old@example.com', 'x', 'old.jpg')")
  await connection.execute('insert into posts (title, content, date_posted, user_id) values (?, ?, ?, ?)', [
    't',
    'c',
    onPostgres ? new Date(0) : 0,
    1,
  ])
  await old.close()

  const orm = await initORM(url, { log: silentLog })
  try {
    const executed = await orm.getMigrator().getExecutedMigrations()
    expect(executed.map((migration) => migration.name)).toEqual(migrationsList.map((migration) => migration.name))
    const em = orm.em.fork()
    const user = await em.findOneOrFail(User, { username: 'old' })
    expect(user.passwordChangedAt).toBeNull()
    // A name set before pictures could be uploaded named no file: the user shows the default.
    expect(user.imageFile).toBeNull()
    expect(await em.count(Post, { author: user })).toBe(1)
  } finally {
    await orm.close()
  }
})
