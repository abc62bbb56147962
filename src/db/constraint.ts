import type { MetadataStorage, UniqueConstraintViolationException } from '@mikro-orm/core'

// node-sqlite3 names the violated index only at the end of its message: an index on an
// expression by its name, an index on plain columns by its table and columns. Anchored at the
// end, because the message begins with the statement, whose values a client chose.
const SQLITE_UNIQUE_INDEX = /UNIQUE constraint failed: index '([^']+)'$/
const SQLITE_UNIQUE_COLUMNS = /UNIQUE constraint failed: (\w+\.\w+(?:, \w+\.\w+)*)$/

/**
 * The name of the unique index a write violated. PostgreSQL's driver reports it as the error's
 * `constraint` field (MikroORM copies the driver's fields onto its exception); SQLite's only
 * names it in the message, and for an index on columns only by `table.column`, which the
 * entities' metadata turns back into the index's name.
 */
export function violatedConstraint(error: UniqueConstraintViolationException, metadata: MetadataStorage): string | undefined {
  const { constraint } = error as { constraint?: unknown }
  if (typeof constraint === 'string') return constraint
  const index = SQLITE_UNIQUE_INDEX.exec(error.message)?.[1]
  if (index !== undefined) return index
  const columns = SQLITE_UNIQUE_COLUMNS.exec(error.message)?.[1]
  return columns === undefined ? undefined : uniqueOn(metadata, columns)
}

/** The entity unique on exactly these columns (`users.email_key`, or several with ", "). */
function uniqueOn(metadata: MetadataStorage, columns: string): string | undefined {
  for (const meta of Object.values(metadata.getAll())) {
    for (const unique of meta.uniques) {
      const fields = [unique.properties ?? []].flat().flatMap((name) => meta.properties[name]?.fieldNames ?? [])
      if (fields.map((field) => `${meta.tableName}.${field}`).join(', ') === columns) return unique.name
    }
  }
  return undefined
}
