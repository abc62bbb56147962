// Node's socket errors: the database host refused, reset, or never answered.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

// SQLite: the file can't be opened, read or written, or another process holds the lock too long.
const SQLITE_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_READONLY'])

// PostgreSQL's SQLSTATE classes for "not now": 08 connection exception, 53 insufficient
// resources (too many connections), 57P admin or crash shutdown, cannot connect now.
const POSTGRES_STATE = /^(08|53|57P)/

// Errors without a code: node-postgres losing its connection, and knex's pool waiting in vain
// for one (MikroORM renames knex's KnexTimeoutError, so only its message tells).
const CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|Knex: Timeout acquiring a connection)/

/**
 * True when an error means the database can't answer right now (down, unreachable, locked, its
 * file unreadable), as opposed to an error in a query. Requests then get a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const { code } = error as { code?: unknown }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLITE_CODES.has(code) || POSTGRES_STATE.test(code))) {
    return true
  }
  return CONNECTION_LOST.test(error.message)
}
