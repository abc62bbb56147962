import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Migrator } from '@mikro-orm/migrations'
import { MikroORM, SqliteDriver, type Options } from '@mikro-orm/sqlite'
import { Post, User } from './entities/index.js'
import { migrationsList } from './migrations/index.js'

export type Orm = MikroORM

/** `sqlite:data/blog.db` → `data/blog.db`; `sqlite::memory:` → `:memory:`. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^sqlite:/, '')
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
