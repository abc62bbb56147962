import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Makes an empty PostgreSQL database next to the one `serverUrl` names, and returns its URL and
 * a function that drops it. For the migration tool and the tests, never for the service.
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'blog_scratch'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) }
}
