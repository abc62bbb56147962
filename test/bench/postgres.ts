import pg from 'pg'
import { describeDatabase, parseDatabaseUrl } from '../../src/config/database-url.js'

const PROBE_TIMEOUT_MS = 2_000

/**
 * The PostgreSQL server of the second pass: the one BENCH_DATABASE_URL names, else
 * TEST_DATABASE_URL, else the local default. Undefined, with one line on stderr saying why, when
 * a short connect to it fails.
 */
export async function reachablePostgresServer(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
  const skip = (reason: string) => {
    console.error(`PostgreSQL pass skipped: ${reason} (BENCH_DATABASE_URL names the server to use).`)
    return undefined
  }
  let where: string
  try {
    where = describeDatabase(parseDatabaseUrl(url))
  } catch (error) {
    return skip(`the server URL ${(error as Error).message}`)
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
  try {
    await client.connect()
  } catch (error) {
    return skip(`cannot connect to ${where} within ${PROBE_TIMEOUT_MS / 1000} s: ${(error as Error).message}`)
  }
  await client.end()
  return url
}
