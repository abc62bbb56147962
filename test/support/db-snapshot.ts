import type { Orm } from '../../src/db/orm.js'
import { onPostgres } from './database.js'

export interface DbSnapshot {
  schema: unknown[]
  users: unknown[]
  posts: unknown[]
  pictures: unknown[]
}

const SCHEMA_SQL = onPostgres
  ? `select 'column' as kind, table_name as name, column_name || ' ' || data_type as sql
       from information_schema.columns where table_schema = current_schema()
     union all
     select 'index', indexname, indexdef from pg_indexes where schemaname = current_schema()
     order by kind, name, sql`
  : 'select type, name, tbl_name, sql from sqlite_master order by type, name'

/** Every row of every table, and the schema itself, so any change at all shows up in a diff. */
export async function snapshotDb(orm: Orm): Promise<DbSnapshot> {
  const connection = orm.em.getConnection()
  const [schema, users, posts, pictures] = await Promise.all([
    connection.execute(SCHEMA_SQL),
    connection.execute('select * from users order by id'),
    connection.execute('select * from posts order by id'),
    connection.execute('select * from pictures order by name'),
  ])
  return { schema, users, posts, pictures }
}
