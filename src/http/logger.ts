import { DriverException } from '@mikro-orm/core'
import type { MiddlewareHandler } from 'hono'
import { isAbortedRequest } from './aborted-request.js'
import type { ClientAddress } from './client-address.js'

export type Log = (entry: Record<string, unknown>) => void

/** One JSON line per entry on stdout. */
export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`)
}

export const silentLog: Log = () => {}

/**
 * What an unexpected error may say in a log: its name and stack frames. A database error's
 * message quotes the SQL and its parameters (a password hash, say), so it is left out.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error }
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '))
  const message = error instanceof DriverException ? '(database error; query omitted)' : error.message
  return { error: error.name, message, stack: frames.map((line) => line.trim()) }
}

/**
 * One line per request: its id, the client's address (behind a trusted proxy, the one it
 * forwarded; the full address, not the /64 an IPv6 client is counted by), method, path, status
 * and duration; never a header or a body.
 * A request whose connection closed before it had fully arrived got no response: its line says
 * `aborted` instead of a status.
 */
export function requestLogger(log: Log, clientAddress: ClientAddress): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const outcome = isAbortedRequest(c)
      ? { msg: 'Request aborted: the connection closed before it had fully arrived', aborted: true }
      : { status: c.res.status }
    log({
      level: 'info',
      request_id: c.get('requestId'),
      client: clientAddress(c),
      method: c.req.method,
      path: c.req.path,
      ...outcome,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    })
  }
}
