import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { MikroORM, type Options } from '@mikro-orm/core'
import type { AbstractSqlDriver, EntityManager } from '@mikro-orm/knex'
import { Migrator } from '@mikro-orm/migrations'
import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import { SqliteDriver } from '@mikro-orm/sqlite'
import pg from 'pg'
import { describeDatabase, parseDatabaseUrl, type DatabaseTarget } from '../config/database-url.js'
import { DEFAULT_DB_POOL_MAX } from '../config/index.js'
import { createLog, type Log } from '../http/logger.js'
import {
  Counter,
  EmailVerificationToken,
  MfaChallenge,
  OutboxMail,
  Passkey,
  PasswordResetToken,
  Picture,
  Post,
  RateLimit,
  RecoveryCode,
  RefreshToken,
  Session,
  TwoFactorSecret,
  User,
  WebauthnChallenge,
} from './entities/index.js'
import { postgresqlMigrations } from './migrations/postgresql/index.js'
import { sqliteMigrations } from './migrations/sqlite/index.js'

export type { EntityManager }
export type Orm = MikroORM<AbstractSqlDriver>

export interface DatabaseOptions {
  /** Connections per process (PostgreSQL). */
  poolMax?: number
  /** A PostgreSQL schema to use instead of `public`, created when missing (test isolation). */
  schema?: string
  /**
   * How long a query waits for a connection (from the pool, or a new one to PostgreSQL) before
   * it fails and the request gets a 503 (ms).
   */
  connectTimeoutMs?: number
  /** Where the driver's own warnings go (a lost connection, say); one JSON line each on stdout by default. */
  log?: Log
  /** Any other MikroORM option (a query logger, say). */
  orm?: Partial<Options>
}

/** The database could not be reached or opened; the message names it without any password. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError'
}

// Long enough for a slow network, short enough that a request fails within a few seconds while
// the database is down instead of hanging.
const CONNECT_TIMEOUT_MS = 3000

/**
 * SQLite's per-connection settings, applied whenever the pool opens a connection. WAL lets
 * readers and the writer proceed together. With synchronous=NORMAL a commit is in the WAL (the
 * OS page cache) before it returns, so an acknowledged write survives the process being killed,
 * though not a power loss or OS crash (which can lose the last commits but never corrupts the
 * file). busy_timeout waits for a lock another process holds (a migration, a second instance).
 * foreign_keys is per connection too; MikroORM turns it on for the first connection only.
 */
const SQLITE_PRAGMAS =
  'pragma foreign_keys = on; pragma busy_timeout = 5000; pragma journal_mode = WAL; pragma synchronous = NORMAL;'

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void
}

const migrationDefaults = {
  emit: 'ts',
  snapshot: false,
  transactional: true,
  allOrNothing: true,
  silent: true,
} as const

/** The pg connection settings of a target: MikroORM's pool and the migration lock use them. */
function pgConnection(target: DatabaseTarget & { kind: 'postgresql' }, options: DatabaseOptions = {}): pg.ClientConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: target.ssl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    keepAlive: true,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
  }
}

// knex writes its warnings to the console; they become log lines like every other.
function knexLog(log: Log) {
  const write = (level: 'warn' | 'error' | 'debug') => (message: unknown) => log[level](`database: ${String(message)}`)
  return { warn: write('warn'), error: write('error'), deprecate: write('warn'), debug: write('debug') }
}

export function ormOptions(databaseUrl: string, options: DatabaseOptions = {}): Options {
  const target = parseDatabaseUrl(databaseUrl)
  const log = knexLog(options.log ?? createLog())
  const common = {
    entities: [
      User, Post, RateLimit, Picture, PasswordResetToken, Counter, OutboxMail, EmailVerificationToken, Session, RefreshToken,
      TwoFactorSecret, RecoveryCode, MfaChallenge, Passkey, WebauthnChallenge,
    ],
    extensions: [Migrator],
    forceUtcTimezone: true,
    allowGlobalContext: false,
  }
  if (target.kind === 'sqlite') {
    return {
      ...common,
      driver: SqliteDriver,
      dbName: target.path,
      migrations: { ...migrationDefaults, path: 'src/db/migrations/sqlite', migrationsList: sqliteMigrations },
      driverOptions: { acquireConnectionTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, log },
      pool: {
        afterCreate: (connection: SqliteConnection, done: (error: Error | null) => void) =>
          connection.exec(SQLITE_PRAGMAS, done),
      },
      ...options.orm,
    }
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    dbName: target.database,
    ...(options.schema && { schema: options.schema }),
    migrations: { ...migrationDefaults, path: 'src/db/migrations/postgresql', migrationsList: postgresqlMigrations },
    pool: { min: 0, max: options.poolMax ?? DEFAULT_DB_POOL_MAX },
    driverOptions: {
      connection: pgConnection(target, options),
      acquireConnectionTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      log,
    },
    // The database is made by whoever runs the service (README), never guessed at here.
    ensureDatabase: false,
    connect: false,
    ...options.orm,
  }
}

async function assertReachable(orm: Orm, target: DatabaseTarget): Promise<void> {
  const check = await orm.checkConnection()
  if (check.ok) return
  await orm.close(true)
  const reason = (check.reason ?? 'no answer').split('\n')[0]
  throw new DatabaseUnreachableError(`Cannot use the database (${describeDatabase(target)}): ${reason}`)
}

/**
 * SQLite changes a column by rebuilding its table, and dropping the old table would delete every
 * row that refers to it while foreign keys are enforced. SQLite ignores turning them off inside
 * a transaction (and the migrations run in one), so they are off around the migrations, on the
 * pool's one connection, and checked before they are back on (SQLite's own procedure).
 */
async function migrateSqlite(orm: Orm): Promise<void> {
  const connection = orm.em.getConnection()
  await connection.execute('pragma foreign_keys = off')
  try {
    const applied = await orm.getMigrator().up()
    const broken = applied.length > 0 ? await connection.execute('pragma foreign_key_check') : []
    if (broken.length > 0) throw new Error(`Migrations left ${broken.length} rows whose foreign key points nowhere`)
  } finally {
    await connection.execute('pragma foreign_keys = on')
  }
}

// Any constant will do, as long as every instance uses the same one.
const MIGRATION_LOCK = 0x626c6f67

/**
 * Applies pending migrations. On PostgreSQL several instances may start at once, so they take
 * turns under an advisory lock held by a connection of its own; ending that session frees it.
 */
async function migrate(orm: Orm, target: DatabaseTarget, schema: string | undefined): Promise<void> {
  if (target.kind === 'sqlite') {
    await migrateSqlite(orm)
    return
  }
  const lock = new pg.Client(pgConnection(target))
  await lock.connect()
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    if (schema) await lock.query(`create schema if not exists "${schema}"`)
    await orm.getMigrator().up()
  } finally {
    await lock.end()
  }
}

/**
 * A SQLite database holds password hashes and emails, so its files are its owner's alone. A
 * missing folder is made 0700 (with any missing parents); an existing one is left as it is, as
 * it may be shared (`sqlite:blog.db` lives in the project's folder), and with every file 0600 a
 * folder others may enter shows them names and sizes, nothing more. The database file is made
 * 0600 before SQLite opens it (an empty file is a new database to SQLite), and SQLite gives the
 * -wal, -shm and -journal files it makes the database file's permissions, whatever the umask.
 * Files an earlier version left readable by others are taken back to their owner, with a warning.
 */
function keepSqliteFilesPrivate(path: string, log: Log): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    let mode: number
    try {
      mode = statSync(file).mode & 0o777
    } catch {
      continue
    }
    if ((mode & 0o077) === 0) continue
    chmodSync(file, mode & 0o700)
    const octal = (bits: number) => bits.toString(8)
    log.warn(`Database file ${file} could be read by other users (mode ${octal(mode)}): now ${octal(mode & 0o700)}`)
  }
}

/** Opens the database (creating a SQLite file and its folder, private, when missing) and applies pending migrations. */
export async function initORM(databaseUrl: string, options: DatabaseOptions = {}): Promise<Orm> {
  const target = parseDatabaseUrl(databaseUrl)
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new Error(`Not a plain schema name: ${options.schema}`)
  }
  if (target.kind === 'sqlite' && target.path !== ':memory:') keepSqliteFilesPrivate(target.path, options.log ?? createLog())
  const orm = (await MikroORM.init(ormOptions(databaseUrl, options))) as Orm
  await assertReachable(orm, target)
  await migrate(orm, target, options.schema)
  return orm
}
