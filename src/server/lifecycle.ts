import { DatabaseUnreachableError, initORM, type Orm } from '../db/orm.js'
import type { Log } from '../http/logger.js'

/** How long a stopping server waits for its requests in flight. */
export const SHUTDOWN_GRACE_MS = 10_000

/** A start-up failure the operator can fix: one line on stderr, exit 1, no stack. */
export function stop(message: string): never {
  console.error(message)
  process.exit(1)
}

export async function openDatabase(databaseUrl: string, poolMax: number, log?: Log): Promise<Orm> {
  try {
    return await initORM(databaseUrl, { poolMax, log })
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) stop(error.message)
    throw error
  }
}
