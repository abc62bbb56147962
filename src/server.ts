import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import { createApp } from './app.js'
import { describeDatabase, parseDatabaseUrl } from './config/database-url.js'
import { ConfigError, loadStartupConfig } from './config/index.js'
import { DatabaseUnreachableError, initORM, type Orm } from './db/orm.js'
import { sweepExpiredCounts } from './db/shared-counter.js'
import { answerClientErrors } from './http/client-errors.js'
import { gracefulCloser } from './http/graceful-close.js'
import { describeError, jsonLog } from './http/logger.js'
import { securityHeaderValues } from './http/security-headers.js'
import { useFastApiMessages } from './http/validation.js'
import { Outbox } from './mail/outbox.js'
import { createMailTransport } from './mail/transport.js'

const SHUTDOWN_GRACE_MS = 10_000
const SWEEP_INTERVAL_MS = 5 * 60_000
// Node looks for requests past their headers or request timeout only this often (every 30 s by
// default, which would let a 10 s timeout run to 40 s). Each look walks the connections still
// receiving a request, which is cheap.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000

/** A start-up failure the operator can fix: one line on stderr, exit 1, no stack. */
function stop(message: string): never {
  console.error(message)
  process.exit(1)
}

async function openDatabase(databaseUrl: string, poolMax: number): Promise<Orm> {
  try {
    return await initORM(databaseUrl, { poolMax })
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) stop(error.message)
    throw error
  }
}

/** Counts whose window ended are deleted now and then, so the table holds live counts only. */
function sweepCountsPeriodically(orm: Orm): void {
  setInterval(() => {
    sweepExpiredCounts(orm).catch((error: unknown) =>
      jsonLog({ level: 'warn', msg: 'Could not sweep expired rate-limit counts', ...describeError(error) }),
    )
  }, SWEEP_INTERVAL_MS).unref()
}

async function main(): Promise<void> {
  let startup
  try {
    startup = loadStartupConfig()
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }
  const { config, createdEnvFile } = startup
  useFastApiMessages()
  if (createdEnvFile) console.log('Created .env with a new random SECRET_KEY (first start).')

  const orm = await openDatabase(config.databaseUrl, config.dbPoolMax)
  sweepCountsPeriodically(orm)
  const mailTransport = createMailTransport(config.mail, jsonLog)
  const app = createApp({ orm, config, outbox: new Outbox(mailTransport, jsonLog) })
  const database = describeDatabase(parseDatabaseUrl(config.databaseUrl))
  const clientErrorHeaders = await securityHeaderValues()
  const serverOptions = {
    headersTimeout: config.headersTimeoutSeconds * 1000,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  }
  // serve() answers with node's http.Server unless given another createServer.
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions }, (info) => {
    jsonLog({ level: 'info', msg: `Listening on http://${info.address}:${info.port}`, database, mail: mailTransport.description })
  }) as Server
  answerClientErrors(server, clientErrorHeaders)
  const closer = gracefulCloser(server)

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    jsonLog({ level: 'info', msg: `${signal}: finishing requests in flight, then stopping` })
    setTimeout(() => {
      jsonLog({ level: 'error', msg: `Requests still in flight after ${SHUTDOWN_GRACE_MS} ms; exiting anyway` })
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    try {
      await closer.close()
      await orm.close()
      process.exit(0)
    } catch (error) {
      jsonLog({ level: 'error', msg: 'Shutdown failed', ...describeError(error) })
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

await main()
