import type { Orm } from '../../src/db/orm.js'

export interface DbSnapshot {
  schema: unknown[]
  users: unknown[]
  posts: unknown[]
}

/** Every row of every table, and the schema itself, so any change at all shows up in a diff. */
export async function snapshotDb(orm: Orm): Promise<DbSnapshot> {
  const connection = orm.em.getConnection()
  const [schema, users, posts] = await Promise.all([
    connection.execute('select type, name, tbl_name, sql from sqlite_master order by type, name'),
    connection.execute('select * from users order by id'),
    connection.execute('select * from posts order by id'),
  ])
  return { schema, users, posts }
}
