import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Migrator } from '@mikro-orm/migrations'
import { MikroORM, SqliteDriver, type Options } from '@mikro-orm/sqlite'

export type { EntityManager } from '@mikro-orm/sqlite'
import { Post, User } from './entities/index.js'
import { migrationsList } from './migrations/index.js'

export type Orm = MikroORM

/** `sqlite:data/blog.db` → `data/blog.db`; `sqlite::memory:` → `:memory:`. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^sqlite:/, '')
}

/**
 * Per-connection settings, applied whenever the pool opens a connection. WAL lets readers and
 * the writer proceed together. With synchronous=NORMAL a commit is in the WAL (the OS page
 * cache) before it returns, so an acknowledged write survives the process being killed, though
 * not a power loss or OS crash (which can lose the last commits but never corrupts the file).
 * busy_timeout waits for a lock another process holds (a migration, a second instance).
 * foreign_keys is per connection too; MikroORM turns it on for the first connection only.
 */
const CONNECTION_PRAGMAS =
  'pragma foreign_keys = on; pragma busy_timeout = 5000; pragma journal_mode = WAL; pragma synchronous = NORMAL;'

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void
}

function applyConnectionPragmas(connection: SqliteConnection, done: (error: Error | null) => void): void {
  connection.exec(CONNECTION_PRAGMAS, done)
}

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    driver: SqliteDriver,
    dbName: sqlitePath(databaseUrl),
    entities: [User, Post],
    extensions: [Migrator],
    migrations: {
      path: 'src/db/migrations',
      emit: 'ts',
      migrationsList,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    pool: { afterCreate: applyConnectionPragmas },
    ...overrides,
  }
}

/** Opens the database (creating its folder when missing) and applies pending migrations. */
export async function initORM(databaseUrl: string, overrides: Partial<Options> = {}): Promise<Orm> {
  const path = sqlitePath(databaseUrl)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const orm = await MikroORM.init(ormOptions(databaseUrl, overrides))
  await orm.getMigrator().up()
  return orm
}
