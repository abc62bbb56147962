type Ssl = false | { rejectUnauthorized: boolean }

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgresql'; host: string; port: number; database: string; user: string; password: string; ssl: Ssl }

const SQLITE = /^sqlite:(.+)$/
const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:'])

// libpq's sslmode: "require" and "prefer" encrypt without checking the certificate; the verify
// modes check it. "prefer" does not fall back to plain text here: it asks for encryption.
function sslFor(mode: string | null): Ssl {
  switch (mode) {
    case null:
    case 'disable':
      return false
    case 'allow':
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false }
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true }
    default:
      throw new Error(`has an unknown sslmode "${mode}" (disable, require, verify-ca or verify-full)`)
  }
}

/**
 * Reads DATABASE_URL: `sqlite:<path>`, `sqlite::memory:`, or
 * `postgres://user:password@host:port/database?sslmode=...` (`postgresql://` too). Throws an
 * Error whose message completes "DATABASE_URL ..." and never quotes the URL (it may hold a
 * password).
 */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  const sqlite = SQLITE.exec(value)
  if (sqlite) return { kind: 'sqlite', path: sqlite[1]! }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error('must look like sqlite:<path>, sqlite::memory: or postgres://user:password@host:5432/database')
  }
  if (!POSTGRES_SCHEMES.has(url.protocol)) {
    throw new Error('must start with sqlite:, postgres:// or postgresql://')
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!url.hostname || !database || database.includes('/')) {
    throw new Error('must name a host and a database: postgres://user:password@host:5432/database')
  }
  return {
    kind: 'postgresql',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 5432,
    database,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    ssl: sslFor(url.searchParams.get('sslmode')),
  }
}

/** Where the database is, for a log line: never the password. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.kind === 'sqlite'
    ? `SQLite ${target.path}`
    : `PostgreSQL ${target.host}:${target.port}/${target.database}`
}
