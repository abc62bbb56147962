import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import { ConfigError, loadStartupConfig } from './config/index.js'
import { initORM } from './db/orm.js'
import { createApp } from './app.js'
import { gracefulCloser } from './http/graceful-close.js'
import { describeError, jsonLog } from './http/logger.js'
import { useFastApiMessages } from './http/validation.js'

const SHUTDOWN_GRACE_MS = 10_000

async function main(): Promise<void> {
  let startup
  try {
    startup = loadStartupConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const { config, createdEnvFile } = startup
  useFastApiMessages()
  if (createdEnvFile) console.log('Created .env with a new random SECRET_KEY (first start).')

  const orm = await initORM(config.databaseUrl)
  const app = createApp({ orm, config })
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    jsonLog({ level: 'info', msg: `Listening on http://${info.address}:${info.port}` })
  })

  // serve() answers with node's http.Server unless given another createServer.
  const closer = gracefulCloser(server as Server)

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
