import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core'
import { afterEach, expect, inject, it } from 'vitest'
import { userRow } from '../support/users.js'
import { violatedConstraint } from '../../src/db/constraint.js'
import { Post, User } from '../../src/db/entities/index.js'
import { postgresqlMigrations } from '../../src/db/migrations/postgresql/index.js'
import { sqliteMigrations } from '../../src/db/migrations/sqlite/index.js'
import { initORM, ormOptions } from '../../src/db/orm.js'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import { silentLog } from '../../src/http/logger.js'
import { onPostgres, testDatabase } from '../support/database.js'
import { expectExactCounts } from '../support/post-counts.js'
import { logTo } from '../support/log.js'

let drop = async () => {}
afterEach(() => drop())

// What the migrations report (a SQLite file made by MikroORM.init here is also made private
// on opening, with a warning of its own: see sqlite-file-permissions.test.ts).
const databaseWarnings = (logged: Record<string, unknown>[]) =>
  logged.filter((entry) => entry.level === 'warn' && String(entry.msg).startsWith('database: ')).map((entry) => entry.msg)

async function emptyDatabase(): Promise<string> {
  if (!onPostgres) return `sqlite:${join(mkdtempSync(join(tmpdir(), 'blog-migrate-')), 'blog.db')}`
  const database = await createScratchDatabase(inject('postgresUrl'), 'blog_migrate')
  drop = database.drop
  return database.url
}

const migrationsList = onPostgres ? postgresqlMigrations : sqliteMigrations

/**
 * A new database migrated up to the migration just before `name`, as a service of that time
 * left it. SQLite's earlier migrations rebuild users, which needs foreign keys off (as initORM
 * does).
 */
async function databaseBefore(name: string) {
  const url = await emptyDatabase()
  const index = migrationsList.findIndex((migration) => migration.name === name)
  expect(index).toBeGreaterThan(0)
  const old = await MikroORM.init(ormOptions(url, { log: silentLog }))
  const connection = old.em.getConnection()
  if (!onPostgres) await connection.execute('pragma foreign_keys = off')
  await old.getMigrator().up({ to: migrationsList[index - 1]!.name })
  if (!onPostgres) await connection.execute('pragma foreign_keys = on')
  return { url, old, connection }
}

it(`upgrades a ${testDatabase} database made by the first migration in place, keeping its rows`, async () => {
  const url = await emptyDatabase()
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

it(`upgrades a ${testDatabase} database whose users now share username keys, reporting each collision and keying every row`, async () => {
  const { url, old, connection } = await databaseBefore('Migration20261202024507')
  // Names the old rules (lower() on either database) let through as distinct users.
  const usernames = [
    'Jos\u00E9', // 1: composed é
    'JOSE\u0301', // 2: decomposed, upper case
    'ｊｏｓ\u00E9', // 3: full-width
    'ali\u200Bce', // 4: a zero-width space, which the new rules refuse
    'Straße', // 5
    'STRASSE', // 6: ß folds to ss
    'gone', // 7: deleted below, so the highest id in use is 6
  ]
  for (const [i, username] of usernames.entries()) {
    await connection.execute('insert into users (username, email, password_hash) values (?, ?, ?)', [username, `u${i + 1}@example.com`, 'x'])
  }
  await connection.execute('insert into posts (title, content, date_posted, user_id) values (?, ?, ?, ?)', ['t', 'c', onPostgres ? new Date(0) : 0, 2])
  await connection.execute('delete from users where id = 7')
  await old.close()

  const logged: Record<string, unknown>[] = []
  const log = logTo((entry) => logged.push(entry))
  const orm = await initORM(url, { log })
  try {
    const reports = databaseWarnings(logged)
    expect(reports).toEqual([
      'database: username and email keys: username key shared by users 1, 2, 3: user 1 keeps it, users 2, 3 get "<key>#<id>" until a new username is chosen',
      'database: username and email keys: username key shared by users 5, 6: user 5 keeps it, user 6 gets "<key>#<id>" until a new username is chosen',
      'database: username and email keys: user 4: a username the new rules refuse (invisible characters, or only spaces), kept as it is',
    ])

    const rows = await orm.em.getConnection().execute('select id, username, username_key, email_key from users order by id')
    expect(rows).toEqual([
      { id: 1, username: 'Jos\u00E9', username_key: 'jos\u00E9', email_key: 'u1@example.com' },
      { id: 2, username: 'JOSE\u0301', username_key: 'jos\u00E9#2', email_key: 'u2@example.com' },
      { id: 3, username: 'ｊｏｓ\u00E9', username_key: 'jos\u00E9#3', email_key: 'u3@example.com' },
      // Keyed 'ali\u200Bce' by the migration that added keys, 'alice' by the one that left ignorable characters out.
      { id: 4, username: 'ali\u200Bce', username_key: 'alice', email_key: 'u4@example.com' },
      { id: 5, username: 'Straße', username_key: 'strasse', email_key: 'u5@example.com' },
      { id: 6, username: 'STRASSE', username_key: 'strasse#6', email_key: 'u6@example.com' },
    ])

    const em = orm.em.fork()
    expect(await em.count(Post, { author: 2 }), 'the rebuilt users table kept the posts that refer to it').toBe(1)

    // A row with a told-apart key can still be changed, as long as its name stays.
    const second = await em.findOneOrFail(User, 2)
    second.passwordChangedAt = new Date()
    await em.flush()

    // The keys are unique now: one more José is refused by the index itself.
    em.create(User, userRow('JOSÉ', 'u8@example.com'))
    const refused = await em.flush().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(UniqueConstraintViolationException)
    expect(violatedConstraint(refused as UniqueConstraintViolationException, em.getMetadata())).toBe('users_username_key_unique')

    // Ids are never given out twice, across the rebuild too (a token naming user 7 stays dead).
    const fresh = orm.em.fork()
    const added = fresh.create(User, userRow('new', 'u9@example.com'))
    await fresh.flush()
    expect(added.id).toBeGreaterThan(7)
  } finally {
    await orm.close()
  }
})

it(`upgrades a ${testDatabase} database whose names differ only by characters now ignored, reporting what is new and rekeying them`, async () => {
  const { url, old, connection } = await databaseBefore('Migration20261207031500')
  // Rows as the API stored them under the earlier rules, keys included.
  const rows: [string, string][] = [
    ['alice\u034F', 'alice\u034F'], // 1: an impostor that registered first
    ['Alice', 'alice'], // 2
    ['Bob\u2800', 'bob\u2800'], // 3
    ['bob', 'bob'], // 4
    ['dave\uFE0F', 'dave\uFE0F'], // 5: no plain twin yet
    ['\u3164', '\u3164'], // 6: a Hangul filler alone
    ['._-', '._-'], // 7: nothing to read
    ['carol', 'carol'], // 8: untouched
    ['Jos\u00E9', 'jos\u00E9'], // 9
    ['JOSE\u0301', 'jos\u00E9#10'], // 10: told apart, and reported, by the migration that added keys
  ]
  for (const [i, [username, key]] of rows.entries()) {
    await connection.execute('insert into users (username, email, username_key, email_key, password_hash) values (?, ?, ?, ?, ?)', [username, `u${i + 1}@example.com`, key, `u${i + 1}@example.com`, 'x'])
  }
  await connection.execute('insert into posts (title, content, date_posted, user_id) values (?, ?, ?, ?)', ['t', 'c', onPostgres ? new Date(0) : 0, 2])
  await old.close()

  const logged: Record<string, unknown>[] = []
  const orm = await initORM(url, { log: logTo((entry) => logged.push(entry)) })
  try {
    expect(databaseWarnings(logged)).toEqual([
      'database: username and email keys: username key shared by users 1, 2: user 1 keeps it, user 2 gets "<key>#<id>" until a new username is chosen',
      'database: username and email keys: username key shared by users 3, 4: user 3 keeps it, user 4 gets "<key>#<id>" until a new username is chosen',
      'database: username and email keys: users 1, 3, 5, 6, 7: a username the new rules refuse (invisible characters, or no letter or digit), kept as it is',
    ])
    const keys = (await orm.em.getConnection().execute('select username_key from users order by id')) as { username_key: string }[]
    expect(keys.map((row) => row.username_key)).toEqual([
      'alice',
      'alice#2',
      'bob',
      'bob#4',
      'dave',
      '',
      '._-',
      'carol',
      'jos\u00E9',
      'jos\u00E9#10',
    ])
    const em = orm.em.fork()
    expect(await em.count(Post, { author: 2 })).toBe(1)
    expect((await em.findOneOrFail(User, 1)).username, 'names are kept as they are').toBe('alice\u034F')

    // The plain twin of a name with a variation selector is taken now, by the index itself.
    em.create(User, userRow('Dave', 'u11@example.com'))
    const refused = await em.flush().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(UniqueConstraintViolationException)
    expect(violatedConstraint(refused as UniqueConstraintViolationException, em.getMetadata())).toBe('users_username_key_unique')
    const emails = orm.em.fork()
    emails.create(User, userRow('erin', 'U1@example.com'))
    const sameEmail = await emails.flush().catch((error: unknown) => error)
    expect(violatedConstraint(sameEmail as UniqueConstraintViolationException, emails.getMetadata())).toBe('users_email_key_unique')
  } finally {
    await orm.close()
  }
})

it(`upgrades a ${testDatabase} database with posts to exact post counts, kept from then on`, async () => {
  const { url, old, connection } = await databaseBefore('Migration20261202051949')
  for (const name of ['a', 'b', 'c']) {
    await connection.execute('insert into users (username, email, username_key, email_key, password_hash) values (?, ?, ?, ?, ?)', [name, `${name}@example.com`, name, `${name}@example.com`, 'x'])
  }
  // 3 posts by user 1, 1 by user 2, none by user 3.
  for (const userId of [1, 1, 2, 1]) {
    await connection.execute('insert into posts (title, content, date_posted, user_id) values (?, ?, ?, ?)', ['t', 'c', onPostgres ? new Date(0) : 0, userId])
  }
  await old.close()

  const orm = await initORM(url, { log: silentLog })
  try {
    const counts = await expectExactCounts(orm)
    expect(counts).toMatchObject({ total: 4, users: { 1: { kept: 3 }, 2: { kept: 1 }, 3: { kept: 0 } } })
    await orm.em.getConnection().execute('insert into posts (title, content, date_posted, user_id) values (?, ?, ?, ?)', ['t', 'c', new Date(), 3])
    expect(await expectExactCounts(orm)).toMatchObject({ total: 5, kept: 5, users: { 3: { kept: 1 } } })
  } finally {
    await orm.close()
  }
})
