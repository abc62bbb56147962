import { DriverException } from '@mikro-orm/core'
import type { MiddlewareHandler } from 'hono'
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from '../config/index.js'
import { isAbortedRequest } from './aborted-request.js'
import type { ClientAddress } from './client-address.js'

export type Log = Logger

/**
 * What an unexpected error may say in a log (pino's `err` serializer): its name and stack
 * frames. A database error's message quotes the SQL and its parameters (a password hash, say),
 * so it is left out.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error }
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '))
  const message = error instanceof DriverException ? '(database error; query omitted)' : error.message
  return { error: error.name, message, stack: frames.map((line) => line.trim()) }
}

// Fields that hold a secret, wherever an entry or an object one level inside it carries them:
// credentials, every kind of token, and the text of mails (which holds reset and verification links).
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'current_password',
  'new_password',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'reset_token',
  'verification_token',
  'mfa_token',
  'mfa_otp',
  'mfa_recovery_code',
  'text',
  'html',
]
export const REDACTED_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
]

/**
 * The service's logger: one JSON line per entry (on stdout unless a destination is given), its
 * level by name, an ISO time, and secret fields replaced by `[Redacted]`.
 */
export function createLog(level: LogLevel = 'info', destination?: DestinationStream): Log {
  const options = {
    level,
    base: null,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: describeError },
    redact: { paths: REDACTED_PATHS },
  }
  return destination ? pino(options, destination) : pino(options)
}

export const silentLog: Log = createLog('silent')

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
    const durationMs = Math.round((performance.now() - started) * 100) / 100
    const line = { request_id: c.get('requestId'), client: clientAddress(c), method: c.req.method, path: c.req.path }
    if (isAbortedRequest(c)) log.info({ ...line, aborted: true, duration_ms: durationMs }, 'Request aborted: the connection closed before it had fully arrived')
    else log.info({ ...line, status: c.res.status, duration_ms: durationMs })
  }
}
