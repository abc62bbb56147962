import { randomBytes } from 'node:crypto'
import { SERVER_BUNDLE } from './build.js'
import { freePort, startNode, type RunningProcess } from './child-process.js'

/**
 * The built service as production runs it, on the database `databaseUrl` names, with a fresh
 * random SECRET_KEY that lives only in the child's environment. With `workers`, it is started
 * with WEB_CONCURRENCY set to it, and `processes` is how many processes it then runs (a service
 * that does not know the setting runs one).
 */
export async function startService(databaseUrl: string, baseEnv: Record<string, string>, workers?: number) {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const env = {
    ...baseEnv,
    SECRET_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_REQUESTS: 'false',
    ALGORITHM: 'HS256',
    ACCESS_TOKEN_EXPIRE_MINUTES: '30',
    ...(workers !== undefined && { WEB_CONCURRENCY: String(workers) }),
  }
  const server: RunningProcess = await startNode([SERVER_BUNDLE], env, `${origin}/api/posts?limit=1`)
  // The first process to answer may be one worker of several still starting.
  const processes = await server.settle()
  return { server, origin, processes }
}

export async function logIn(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/api/users/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: email, password }),
  })
  if (response.status !== 200) throw new Error(`login answered ${response.status}`)
  return ((await response.json()) as { access_token: string }).access_token
}
