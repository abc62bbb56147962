import cluster, { type Worker } from 'node:cluster'
import { describeDatabase, parseDatabaseUrl } from '../config/database-url.js'
import type { Config } from '../config/index.js'
import { createLog } from '../http/logger.js'
import { openDatabase, serveMetricsOrStop, SHUTDOWN_GRACE_MS } from './lifecycle.js'

// Workers give up on their requests after SHUTDOWN_GRACE_MS; this is for one that hangs anyway.
const STOP_LIMIT_MS = SHUTDOWN_GRACE_MS + 5_000

/**
 * Runs the service as `config.webConcurrency` worker processes sharing one port. The database is
 * opened here first, so it is checked and migrated once, before any worker opens it (the workers
 * then find nothing left to apply). A worker that dies after it listened is replaced; one that
 * dies before it ever listened stops the service, as its replacement would most likely fail too.
 * SIGTERM or SIGINT stops every worker gracefully: exit 0 when all of them exit cleanly, else 1.
 */
export async function runPrimary(config: Config): Promise<void> {
  const log = createLog(config.logLevel)
  const orm = await openDatabase(config.databaseUrl, config.dbPoolMax, log)
  await orm.close()
  if (config.metrics.port !== undefined) serveMetricsOrStop(config.metrics.host, config.metrics.port, log, { cluster: true })

  const running = new Set<Worker>()
  const listened = new Set<Worker>()
  let announced = false
  let stopping = false
  let failed = false

  const exitWhenAllGone = () => {
    if (running.size === 0) process.exit(failed ? 1 : 0)
  }
  const stopAll = () => {
    if (stopping) return
    stopping = true
    for (const worker of running) worker.process.kill('SIGTERM')
    setTimeout(() => {
      log.error(`Workers still running after ${STOP_LIMIT_MS} ms; killing them`)
      for (const worker of running) worker.process.kill('SIGKILL')
      process.exit(1)
    }, STOP_LIMIT_MS).unref()
    exitWhenAllGone()
  }
  const fork = () => running.add(cluster.fork())

  cluster.on('listening', (worker, address) => {
    listened.add(worker)
    if (!announced && listened.size === config.webConcurrency) {
      announced = true
      const database = describeDatabase(parseDatabaseUrl(config.databaseUrl))
      log.info({ workers: config.webConcurrency, database }, `Listening on http://${address.address}:${address.port}: open ${config.mail.publicUrl}`)
    }
  })

  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker)
    const hadListened = listened.delete(worker)
    if (stopping) {
      if (code !== 0) failed = true
      exitWhenAllGone()
      return
    }
    const exit = { worker: worker.id, pid: worker.process.pid, code, signal }
    if (hadListened) {
      log.error(exit, 'Worker exited unexpectedly; starting another')
      fork()
    } else {
      log.error(exit, 'Worker exited before it listened; stopping the service')
      failed = true
      stopAll()
    }
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!stopping) log.info(`${signal}: stopping ${running.size} workers after their requests in flight`)
      stopAll()
    })
  }
  for (let i = 0; i < config.webConcurrency; i += 1) fork()
}
