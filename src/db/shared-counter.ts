import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible'
import { RateLimit } from './entities/index.js'
import type { Orm } from './orm.js'

export interface SharedCounterOptions {
  /** Namespaces the keys, so counters with other rules never share a count. */
  keyPrefix: string
  /** How many points a key may hold within a window. */
  points: number
  /** How long a window lasts; it opens at a key's first point. */
  durationSeconds: number
}

/**
 * A rate-limiter-flexible counter stored in the service's own database (its `rate_limits`
 * table, made by the migrations), so every instance of the service shares its counts.
 */
export function createSharedCounter(orm: Orm, options: SharedCounterOptions): RateLimiterStoreAbstract {
  const knex = orm.em.getConnection().getKnex()
  const isPostgres = orm.em.getDriver() instanceof PostgreSqlDriver
  const settings = {
    storeClient: knex,
    storeType: 'knex',
    tableName: orm.getMetadata().get(RateLimit.meta.className).tableName,
    tableCreated: true,
    // Its own sweep leaves a rejected promise unhandled while the database is down; the server
    // sweeps expired counts itself (sweepExpiredCounts).
    clearExpiredByTimeout: false,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  }
  return isPostgres ? new RateLimiterPostgres(settings) : new OrmSqliteCounter(settings)
}

interface SqliteConnection {
  run(sql: string, callback: (error: Error | null) => void): void
}

/** The parts of RateLimiterSQLite (not in its types) that OrmSqliteCounter overrides. */
interface SqliteStoreInternals {
  _internalStoreType: string | null
  _setInternalStoreType(): void
  _upsertTransactionSQLite3(conn: SqliteConnection, query: string, params: unknown[]): Promise<unknown>
  _releaseConnection(conn: SqliteConnection): void
}

type SqliteStoreOptions = ConstructorParameters<typeof RateLimiterSQLite>[0]
const SqliteStore = RateLimiterSQLite as unknown as new (options: SqliteStoreOptions) => RateLimiterSQLite & SqliteStoreInternals

for (const method of ['_setInternalStoreType', '_upsertTransactionSQLite3', '_releaseConnection'] as const) {
  // An upgrade that renamed one would silently undo what OrmSqliteCounter puts right; fail at start instead.
  if (typeof SqliteStore.prototype[method] !== 'function') throw new Error(`rate-limiter-flexible: RateLimiterSQLite#${method} is gone`)
}

/**
 * RateLimiterSQLite on the ORM's own knex pool (on SQLite, one connection), with two faults of
 * rate-limiter-flexible 11.4.0 (the latest release; lib/RateLimiterSQLite.js) put right:
 *
 * 1. `_upsertTransaction` (lines 259-279) acquires the connection and, inside
 *    `try { ... } finally { this._releaseConnection(conn) }`, does
 *    `return this._upsertTransactionSQLite3(...)` (line 263) without `await`: the `finally`
 *    (line 278) hands the connection back to the pool as soon as the SAVEPOINT is queued, and an
 *    ORM transaction then gets it mid-upsert (its BEGIN fails: "cannot start a transaction within
 *    a transaction"). Here the connection goes back only once the upsert has settled.
 * 2. `_upsertTransactionSQLite3` answers a failed upsert with `ROLLBACK TO SAVEPOINT` alone
 *    (lines 226-229). That undoes the upsert but, unlike ROLLBACK, does not end the transaction
 *    the SAVEPOINT opened, so the connection would stay inside it for good. Here a ROLLBACK ends it.
 *
 * A connection of its own would not do: an in-memory database (the tests') is private to its
 * connection, and on a file it would wait on the ORM's write lock.
 */
class OrmSqliteCounter extends SqliteStore {
  readonly #upserts = new WeakMap<SqliteConnection, Promise<unknown>>()

  // MikroORM gives knex a SQLite dialect class of its own, where RateLimiterSQLite looks for the
  // client name 'sqlite3'; its connections are node-sqlite3 databases all the same.
  override _setInternalStoreType(): void {
    this._internalStoreType = 'sqlite3'
  }

  override _upsertTransactionSQLite3(conn: SqliteConnection, query: string, params: unknown[]): Promise<unknown> {
    const upsert = super._upsertTransactionSQLite3(conn, query, params).catch(async (error: unknown) => {
      // Fails harmlessly when there is no transaction (the SAVEPOINT itself failed).
      await new Promise<void>((resolve) => conn.run('ROLLBACK', () => resolve()))
      throw error
    })
    this.#upserts.set(conn, upsert)
    return upsert
  }

  override _releaseConnection(conn: SqliteConnection): void {
    const upsert = this.#upserts.get(conn)
    this.#upserts.delete(conn)
    const release = () => super._releaseConnection(conn)
    if (upsert) upsert.then(release, release)
    else release()
  }
}

/** Deletes counts whose window ended; returns how many. */
export function sweepExpiredCounts(orm: Orm, now = Date.now()): Promise<number> {
  return orm.em.fork().nativeDelete(RateLimit, { expire: { $lt: now } })
}

const likeLiteral = (text: string) => text.replace(/[!%_]/g, '!$&')

/** Deletes the counts of one counter whose keys end with `keyEnd`, whatever comes before it. */
export async function deleteCountsEndingWith(orm: Orm, keyPrefix: string, keyEnd: string): Promise<void> {
  const knex = orm.em.getConnection().getKnex()
  const tableName = orm.getMetadata().get(RateLimit.meta.className).tableName
  // rate-limiter-flexible stores a key as `<prefix>:<key>`.
  const pattern = `${likeLiteral(keyPrefix)}:%${likeLiteral(keyEnd)}`
  await knex(tableName).whereRaw(`?? like ? escape '!'`, ['key', pattern]).delete()
}
