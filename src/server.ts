import cluster from 'node:cluster'
import { ConfigError, loadConfig, loadStartupConfig } from './config/index.js'
import { runServer } from './server/http-server.js'
import { runPrimary } from './server/primary.js'
import { stop } from './server/startup.js'

/** The configuration; only the first process may write a first `.env`, so every worker reads the same key. */
function readConfig() {
  try {
    if (cluster.isWorker) return loadConfig()
    const { config, createdEnvFile } = loadStartupConfig()
    if (createdEnvFile) console.log('Created .env with a new random SECRET_KEY (first start).')
    return config
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }
}

const config = readConfig()
if (cluster.isWorker) await runServer(config, cluster.worker!.id)
else if (config.webConcurrency > 1) await runPrimary(config)
else await runServer(config)
