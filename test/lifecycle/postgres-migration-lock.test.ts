import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { postgresqlMigrations } from '../../src/db/migrations/postgresql/index.js'
import { freePort, untilListening, useServerProcesses, type ServerProcess } from '../support/server-process.js'

// PostgreSQL only (see vitest.config.ts): an instance that starts while another holds the
// migration lock waits for it, however long that takes, instead of migrating beside it.

// The key src/db/orm.ts takes its advisory lock on; every instance must use the same one.
const MIGRATION_LOCK = 0x626c6f67
// Long beside the fraction of a second migrating an empty database takes, once connected.
const HELD_FOR_MS = 3000
// Inside the test's 30 s, so that a server that never waits fails with its output.
const STARTUP_LIMIT_MS = 20_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The tables in the database's public schema: none before the first migration. */
async function tables(session: pg.Client): Promise<string[]> {
  const { rows } = await session.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
  )
  return rows.map((row) => row.name)
}

/** Sessions other than this one waiting, in this database, for the migration lock. */
async function lockWaiters(session: pg.Client): Promise<number> {
  // A bigint key shows as classid (its high half) and objid (its low half), objsubid 1.
  const { rows } = await session.query<{ n: string }>(
    `select count(*) as n from pg_locks
     where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())
       and classid::bigint = $1 and objid::bigint = $2 and objsubid = 1 and pid <> pg_backend_pid()`,
    [Math.floor(MIGRATION_LOCK / 2 ** 32), MIGRATION_LOCK % 2 ** 32],
  )
  return Number(rows[0]!.n)
}

/**
 * Resolves once the server's session waits for the lock `session` holds. Fails at once if the
 * server migrates, listens or exits first: it went past a lock it did not hold.
 */
async function untilWaitingForLock(session: pg.Client, server: ServerProcess): Promise<void> {
  const deadline = performance.now() + STARTUP_LIMIT_MS
  while ((await lockWaiters(session)) === 0) {
    const made = await tables(session)
    if (made.length > 0) throw new Error(`migrated while another session held the lock: ${made.join(', ')}\n${server.output()}`)
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`server exited while starting\n${server.output()}`)
    if (performance.now() > deadline) throw new Error(`server did not wait for the migration lock within ${STARTUP_LIMIT_MS} ms\n${server.output()}`)
    await sleep(50)
  }
}

describe('the migration lock', () => {
  const servers = useServerProcesses('blog-migration-lock-')

  it('keeps a starting server waiting, unmigrated and not listening, while another session holds it; released, the server migrates and starts', async () => {
    const holder = new pg.Client({ connectionString: servers.databaseUrl })
    await holder.connect()
    try {
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
      const server = servers.spawn({ port: await freePort() })
      await untilWaitingForLock(holder, server)

      await sleep(HELD_FOR_MS)
      expect(await lockWaiters(holder)).toBe(1)
      expect(await tables(holder)).toEqual([])
      expect({ code: server.child.exitCode, signal: server.child.signalCode }).toEqual({ code: null, signal: null })
      expect(server.output()).not.toContain('Listening on')
      await expect(fetch(`${server.origin}/readyz`)).rejects.toThrow('fetch failed')

      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK])
      await untilListening(server)
      const applied = await holder.query<{ name: string }>('select name from mikro_orm_migrations order by id')
      expect(applied.rows.map((row) => row.name)).toEqual(postgresqlMigrations.map((migration) => migration.name))
      expect((await fetch(`${server.origin}/readyz`)).status).toBe(200)
    } finally {
      await holder.end()
    }
  })
})
