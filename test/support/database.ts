import { inject } from 'vitest'
import { initORM, type DatabaseOptions, type Orm } from '../../src/db/orm.js'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import { silentLog } from '../../src/http/logger.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which pass this is: every suite runs on SQLite, most again on PostgreSQL. */
    database: 'sqlite' | 'postgresql'
    /** The PostgreSQL database made for this run, when there is a PostgreSQL pass. */
    postgresUrl: string
  }
}

export const testDatabase = inject('database')
export const onPostgres = testDatabase === 'postgresql'

let schemas = 0

export interface TestDatabaseOptions extends Pick<DatabaseOptions, 'orm' | 'connectTimeoutMs' | 'log'> {
  /** Reach the run's PostgreSQL through another address (a proxy a test can cut). */
  postgresUrl?: string
}

/**
 * A fresh, migrated database of this pass: in-memory SQLite, or a schema of its own in the run's
 * PostgreSQL database (about as cheap, and nothing leaks between tests).
 */
export function openTestDatabase({ postgresUrl, log = silentLog, ...options }: TestDatabaseOptions = {}): Promise<Orm> {
  if (!onPostgres) return initORM('sqlite::memory:', { ...options, log })
  schemas += 1
  return initORM(postgresUrl ?? inject('postgresUrl'), { ...options, log, schema: `t_${process.pid}_${schemas}` })
}

/**
 * A DATABASE_URL for a server process of this pass: a new SQLite file in `dir`, or a new
 * database on the run's PostgreSQL server (dropped by `drop`).
 */
export async function serverDatabaseUrl(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!onPostgres) return { url: `sqlite:${dir}/blog.db`, drop: async () => {} }
  return createScratchDatabase(inject('postgresUrl'), 'blog_server')
}
