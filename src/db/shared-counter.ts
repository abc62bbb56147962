import type { Knex } from '@mikro-orm/knex'
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
    storeClient: isPostgres ? knex : sqliteKnexView(knex),
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
  return isPostgres ? new RateLimiterPostgres(settings) : new RateLimiterSQLite(settings)
}

/**
 * MikroORM gives knex a SQLite dialect class of its own, where rate-limiter-flexible looks for
 * the client name 'sqlite3'; this view names it and hands out the same pool's connections.
 */
function sqliteKnexView(knex: Knex) {
  return {
    raw: knex.raw.bind(knex),
    client: {
      config: { client: 'sqlite3' },
      acquireConnection: () => knex.client.acquireConnection(),
      releaseConnection: (connection: unknown) => knex.client.releaseConnection(connection),
    },
  }
}

/** Deletes counts whose window ended; returns how many. */
export function sweepExpiredCounts(orm: Orm, now = Date.now()): Promise<number> {
  return orm.em.fork().nativeDelete(RateLimit, { expire: { $lt: now } })
}
