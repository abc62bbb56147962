import { ReferenceKind, type EntityMetadata, type MetadataStorage } from '@mikro-orm/core'
import type { Knex } from '@mikro-orm/knex'
import type { EntityManager } from './orm.js'

/**
 * A read that runs on nearly every request, written once in SQL that both databases accept,
 * with `?` placeholders. Each connection prepares it the first time it runs it and keeps it:
 * SQLite plans a join anew for every unprepared statement, which costs more than the read, and
 * PostgreSQL parses and plans a named statement once per session. MikroORM's query builder and
 * knex would otherwise rebuild the SQL on every call.
 */
export interface PreparedQuery {
  /** PostgreSQL's statement name; unique among queries. */
  name: string
  /** The SQL, and the same with PostgreSQL's `$1, $2, ...` placeholders; made once. */
  text(metadata: MetadataStorage): { sql: string; postgresSql: string }
}

/** SQL written out, or written from the entities' metadata (see `loadedColumns`). */
export type QuerySql = string | ((metadata: MetadataStorage) => string)

export function preparedQuery(name: string, sql: QuerySql): PreparedQuery {
  let text: { sql: string; postgresSql: string } | undefined
  return {
    name,
    text(metadata) {
      if (text) return text
      const written = typeof sql === 'string' ? sql : sql(metadata)
      let n = 0
      text = { sql: written, postgresSql: written.replace(/\?/g, () => `$${++n}`) }
      return text
    },
  }
}

/**
 * The columns `em.findOne` loads for an entity: every stored property but the lazy ones. A read
 * that hands its row to `em.map` selects these, so a property added to the entity is never
 * missing from it.
 */
export function loadedColumns(meta: EntityMetadata, alias?: string): string {
  const stored = (kind: ReferenceKind, owner: boolean) =>
    kind === ReferenceKind.SCALAR || kind === ReferenceKind.MANY_TO_ONE || (kind === ReferenceKind.ONE_TO_ONE && owner)
  return meta.props
    .filter((prop) => !prop.lazy && prop.persist !== false && !prop.formula && stored(prop.kind, Boolean(prop.owner)))
    .flatMap((prop) => prop.fieldNames)
    .map((column) => (alias ? `${alias}.${column}` : column))
    .join(', ')
}

interface SqliteStatement {
  all(params: unknown[], callback: (error: Error | null, rows: unknown[]) => void): void
  finalize(callback: () => void): void
}

interface SqliteDatabase {
  prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement
  close(callback: (error: Error | null) => void): void
}

interface PostgresClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>
}

const sqliteStatements = new WeakMap<SqliteDatabase, Map<PreparedQuery, SqliteStatement>>()

/**
 * The statements a SQLite connection has prepared. SQLite refuses to close a connection while
 * any is left, so closing the connection finalizes them first.
 */
function statementsOf(connection: SqliteDatabase): Map<PreparedQuery, SqliteStatement> {
  const known = sqliteStatements.get(connection)
  if (known) return known
  const statements = new Map<PreparedQuery, SqliteStatement>()
  const close = connection.close.bind(connection)
  connection.close = (callback) => {
    const finalized = [...statements.values()].map((statement) => new Promise<void>((done) => statement.finalize(done)))
    statements.clear()
    void Promise.all(finalized).then(() => close(callback))
  }
  sqliteStatements.set(connection, statements)
  return statements
}

// Given a callback, node-sqlite3 reports a statement that fails to prepare there; without one it
// throws the error as an event nobody listens to, which ends the process.
function prepare(connection: SqliteDatabase, sql: string): Promise<SqliteStatement> {
  return new Promise((resolve, reject) => {
    const statement = connection.prepare(sql, (error) => (error ? reject(error) : resolve(statement)))
  })
}

async function allFromSqlite<Row>(connection: SqliteDatabase, query: PreparedQuery, sql: string, params: unknown[]): Promise<Row[]> {
  const statements = statementsOf(connection)
  let statement = statements.get(query)
  if (!statement) {
    statement = await prepare(connection, sql)
    statements.set(query, statement)
  }
  const prepared = statement
  return new Promise((resolve, reject) =>
    prepared.all(params, (error, rows) => {
      if (!error) return resolve(rows as Row[])
      // A statement that failed (the file unreadable, say) is prepared anew next time.
      statements.delete(query)
      prepared.finalize(() => reject(error))
    }),
  )
}

async function run<Row>(client: Knex.Client, query: PreparedQuery, text: { sql: string; postgresSql: string }, params: unknown[]): Promise<Row[]> {
  const connection: unknown = await client.acquireConnection()
  try {
    if (client.dialect === 'postgresql') {
      const result = await (connection as PostgresClient).query({ name: query.name, text: text.postgresSql, values: params })
      return result.rows as Row[]
    }
    return await allFromSqlite<Row>(connection as SqliteDatabase, query, text.sql, params)
  } finally {
    await client.releaseConnection(connection)
  }
}

/**
 * Runs a prepared read on a connection the ORM's pool lends for just this statement, and logs
 * it through the ORM's logger as the ORM logs its own.
 */
export async function queryPrepared<Row>(em: EntityManager, query: PreparedQuery, params: unknown[]): Promise<Row[]> {
  const started = Date.now()
  const text = query.text(em.getMetadata())
  const rows = await run<Row>(em.getConnection().getKnex().client, query, text, params)
  em.config.getLogger().logQuery({ query: text.sql, params, took: Date.now() - started, results: rows.length, level: 'info' })
  return rows
}
