import { DatabaseUnreachableError, initORM, type Orm } from '../db/orm.js'
import type { Log } from '../http/logger.js'
import { serveMetrics } from '../metrics/server.js'

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

/** Serves the metrics on their own port (with `cluster`, a primary's: those of all its workers); a port in use stops the start. */
export function serveMetricsOrStop(host: string, port: number, log: Log, { cluster = false } = {}): void {
  const server = serveMetrics(host, port, { cluster })
  server.once('listening', () => log.info(`Metrics on http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`))
  server.once('error', (error: NodeJS.ErrnoException) => stop(`Cannot listen on ${host}:${port} (METRICS_PORT): ${error.code ?? error.message}`))
}
