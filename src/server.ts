import cluster from 'node:cluster'
import { ConfigError, loadConfig, loadStartupConfig } from './config/index.js'
import { createLog } from './http/logger.js'
import { stop } from './server/lifecycle.js'

/** The configuration; only the first process may write a first `.env`, so every worker reads the same key. */
function readConfig() {
  try {
    if (cluster.isWorker) return loadConfig()
    const { config, createdEnvFile } = loadStartupConfig()
    if (createdEnvFile) createLog(config.logLevel).info('Created .env with a new random SECRET_KEY (first start).')
    return config
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }
}

const config = readConfig()
// Imported on demand, so a primary does not load the app only its workers run.
if (cluster.isPrimary && config.webConcurrency > 1) await (await import('./server/primary.js')).runPrimary(config)
else await (await import('./server/http-server.js')).runServer(config, cluster.worker?.id)
