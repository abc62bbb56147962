import type { Migration } from '@mikro-orm/migrations'

/**
 * Makes nullable columns NOT NULL on SQLite, which cannot alter a column in place. SQLite's
 * documented procedure, as MikroORM's generated migrations follow it: a new table under a
 * temporary name, the rows copied, the old table dropped, the new one renamed, its indexes made
 * again. The new table is the old one's own stored definition with those columns required, so
 * columns that other migrations added are kept. The AUTOINCREMENT counter is carried over too,
 * so the id of a deleted row is never given out again (a token naming it must stay dead).
 *
 * Foreign keys must be off, or dropping the old table would delete every row that refers to it
 * (posts cascade). SQLite ignores that pragma inside a transaction, so initORM turns them off
 * around the migrations and checks them afterwards; this refuses to run while they are on.
 */
export async function requireColumns(migration: Migration, table: string, columns: readonly string[]): Promise<void> {
  const [pragma] = await migration.execute('pragma foreign_keys')
  if (pragma?.foreign_keys !== 0) throw new Error(`Rebuilding ${table} needs foreign keys off (see initORM)`)

  const [definition] = await migration.execute(`select sql from sqlite_master where type = 'table' and name = ?`, [table])
  const indexes = await migration.execute(
    `select sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`,
    [table],
  )
  const [sequence] = await migration.execute('select seq from sqlite_sequence where name = ?', [table])

  const temporary = `${table}__temp_alter`
  let create = String(definition?.sql).replace(/^create table [`"]?\w+[`"]?/i, `create table \`${temporary}\``)
  for (const column of columns) {
    const nullable = new RegExp(`(\`${column}\` \\w+) null`)
    if (!nullable.test(create)) throw new Error(`${table}.${column} is not the nullable column this migration expects`)
    create = create.replace(nullable, '$1 not null')
  }
  await migration.execute(create)
  await migration.execute(`insert into \`${temporary}\` select * from \`${table}\``)
  await migration.execute(`drop table \`${table}\``)
  await migration.execute(`alter table \`${temporary}\` rename to \`${table}\``)
  for (const index of indexes) await migration.execute(String(index.sql))
  if (sequence) await migration.execute('update sqlite_sequence set seq = ? where name = ?', [sequence.seq, table])
}
