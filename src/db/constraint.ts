import type { UniqueConstraintViolationException } from '@mikro-orm/core'

// node-sqlite3 gives the violated index only inside its message, in this fixed form.
const SQLITE_UNIQUE_INDEX = /UNIQUE constraint failed: index '([^']+)'/

/**
 * The name of the unique index a write violated. PostgreSQL's driver reports it as the error's
 * `constraint` field (MikroORM copies the driver's fields onto its exception); SQLite's only
 * names it in the message.
 */
export function violatedConstraint(error: UniqueConstraintViolationException): string | undefined {
  const { constraint } = error as { constraint?: unknown }
  if (typeof constraint === 'string') return constraint
  return SQLITE_UNIQUE_INDEX.exec(error.message)?.[1]
}
