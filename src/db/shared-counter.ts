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

type Callback = (this: unknown, ...args: unknown[]) => void
type SqliteConnection = Record<'run' | 'get' | 'all' | 'exec', (...args: unknown[]) => unknown>

/**
 * MikroORM gives knex a SQLite dialect class of its own, where rate-limiter-flexible looks for
 * the client name 'sqlite3'; this view names it and hands out the same pool's one connection.
 *
 * rate-limiter-flexible gives the connection back as soon as it has queued its statements (a
 * `return` without `await` inside `try/finally`), while its SAVEPOINT is still open; MikroORM's
 * next BEGIN on that connection would then fail. So the view returns the connection to the pool
 * only once every statement started through it has called back.
 */
function sqliteKnexView(knex: Knex) {
  const pending = new WeakMap<object, { statements: number; released: boolean; connection: unknown }>()
  const releaseWhenIdle = (state: { statements: number; released: boolean; connection: unknown }) => {
    if (state.released && state.statements === 0) knex.client.releaseConnection(state.connection)
  }
  const tracked = (connection: SqliteConnection) => {
    const state = { statements: 0, released: false, connection }
    const view = new Proxy(connection, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver)
        if (typeof value !== 'function') return value
        if (!['run', 'get', 'all', 'exec'].includes(String(property))) return value.bind(target)
        return (...args: unknown[]) => {
          const last = args.length - 1
          const callback = args[last]
          if (typeof callback === 'function') {
            state.statements += 1
            args[last] = function (this: unknown, ...results: unknown[]) {
              try {
                ;(callback as Callback).apply(this, results)
              } finally {
                state.statements -= 1
                releaseWhenIdle(state)
              }
            }
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    pending.set(view, state)
    return view
  }
  return {
    raw: knex.raw.bind(knex),
    client: {
      config: { client: 'sqlite3' },
      acquireConnection: async () => tracked((await knex.client.acquireConnection()) as SqliteConnection),
      releaseConnection: (view: object) => {
        const state = pending.get(view)
        if (!state) return
        state.released = true
        releaseWhenIdle(state)
      },
    },
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
