import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import { createApp } from '../app.js'
import { purgeExpiredSessions } from '../auth/sessions.js'
import { purgeExpiredChallenges } from '../auth/webauthn-challenges.js'
import { describeDatabase, parseDatabaseUrl } from '../config/database-url.js'
import type { Config } from '../config/index.js'
import type { Orm } from '../db/orm.js'
import { poolUse } from '../db/pool-use.js'
import { sweepExpiredCounts } from '../db/shared-counter.js'
import { answerClientErrors } from '../http/client-errors.js'
import { gracefulCloser } from '../http/graceful-close.js'
import { createLog, type Log } from '../http/logger.js'
import { securityHeaderValues } from '../http/security-headers.js'
import { useFastApiMessages } from '../http/validation.js'
import { createOutbox } from '../mail/outbox.js'
import { createMailTransport } from '../mail/transport.js'
import { collectProcessMetrics, watchPool } from '../metrics/registry.js'
import { reportToPrimary } from '../metrics/server.js'
import { openDatabase, serveMetricsOrStop, SHUTDOWN_GRACE_MS, stop } from './lifecycle.js'

const SWEEP_INTERVAL_MS = 5 * 60_000
// Node looks for requests past their headers or request timeout only this often (every 30 s by
// default, which would let a 10 s timeout run to 40 s). Each look walks the connections still
// receiving a request, which is cheap.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000

/**
 * Counts whose window ended, sessions that expired and passkey challenges nobody used are
 * deleted now and then, so their tables hold live rows only. Every instance sweeps; a row two of
 * them delete at once is simply gone.
 */
function sweepPeriodically(orm: Orm, log: Log): void {
  setInterval(() => {
    sweepExpiredCounts(orm).catch((error: unknown) =>
      log.warn({ err: error }, 'Could not sweep expired rate-limit counts'),
    )
    purgeExpiredSessions(orm.em.fork()).catch((error: unknown) =>
      log.warn({ err: error }, 'Could not purge expired sessions'),
    )
    purgeExpiredChallenges(orm.em.fork()).catch((error: unknown) =>
      log.warn({ err: error }, 'Could not purge expired passkey challenges'),
    )
  }, SWEEP_INTERVAL_MS).unref()
}

/**
 * Serves the app in this process until SIGTERM or SIGINT, then finishes the requests in flight
 * and exits. As a cluster worker (`workerId`), every log line names the worker and its pid.
 */
export async function runServer(config: Config, workerId?: number): Promise<void> {
  const log = workerId === undefined ? createLog(config.logLevel) : createLog(config.logLevel).child({ worker: workerId, pid: process.pid })
  useFastApiMessages()
  const orm = await openDatabase(config.databaseUrl, config.dbPoolMax, log)
  collectProcessMetrics()
  watchPool(() => poolUse(orm))
  // Workers' metrics are served by the primary, which asks each of them at every scrape.
  if (workerId !== undefined) reportToPrimary()
  else if (config.metrics.port !== undefined) serveMetricsOrStop(config.metrics.host, config.metrics.port, log)
  sweepPeriodically(orm, log)
  const mailTransport = createMailTransport(config.mail, log, { timeoutMs: config.outbox.sendTimeoutMs })
  const outbox = createOutbox(orm, config, log, { transport: mailTransport })
  const app = createApp({ orm, config, log, outbox })
  const database = describeDatabase(parseDatabaseUrl(config.databaseUrl))
  const clientErrorHeaders = await securityHeaderValues()
  const serverOptions = {
    headersTimeout: config.headersTimeoutSeconds * 1000,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  }
  // serve() answers with node's http.Server unless given another createServer.
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions }, (info) => {
    // The primary logs "Listening on" once all its workers do, for whoever waits for that line.
    const msg = `${workerId === undefined ? 'Listening' : 'Worker listening'} on http://${info.address}:${info.port}: open ${config.mail.publicUrl}`
    log.info({ database, mail: mailTransport.description }, msg)
  }) as Server
  // Mails written before this start (by a process that stopped or died) go out now.
  void outbox.start()
  server.once('error', (error: NodeJS.ErrnoException) => stop(`Cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`))
  answerClientErrors(server, clientErrorHeaders)
  const closer = gracefulCloser(server)

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: finishing requests in flight, then stopping`)
    setTimeout(() => {
      log.error(`Requests still in flight after ${SHUTDOWN_GRACE_MS} ms; exiting anyway`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    try {
      // No new claims; a send in flight finishes, and what is left waits in the database for
      // the next start or another instance.
      outbox.stopClaiming()
      await closer.close()
      // The requests are answered; the work they left (a reset link's token and mail) is written.
      await outbox.stop()
      await orm.close()
      process.exit(0)
    } catch (error) {
      log.error({ err: error }, 'Shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  // Ctrl+C sends SIGINT to the whole process group. A worker leaves it to the primary, which
  // stops every worker with SIGTERM and so never takes their exit for a crash.
  process.on('SIGINT', () => {
    if (workerId === undefined) void shutdown('SIGINT')
  })
}
