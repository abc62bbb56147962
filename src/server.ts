import { serve } from '@hono/node-server'
import { ConfigError, loadStartupConfig } from './config/index.js'
import { initORM } from './db/orm.js'
import { createApp } from './http/app.js'
import { jsonLog } from './http/logger.js'

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
  if (createdEnvFile) console.log('Created .env with a new random SECRET_KEY (first start).')

  const orm = await initORM(config.databaseUrl)
  const app = createApp({ orm, config })
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    jsonLog({ level: 'info', msg: `Listening on http://${info.address}:${info.port}` })
  })

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    jsonLog({ level: 'info', msg: `${signal}: finishing requests in flight, then stopping` })
    server.close(async () => {
      await orm.close()
      process.exit(0)
    })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

await main()
