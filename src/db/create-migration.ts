import { createScratchDatabase } from './scratch-database.js'
import { initORM } from './orm.js'

// For each database, diffs the entities against the schema its committed migrations build and
// writes the difference as a new migration file. PostgreSQL's diff needs a server: the URL of
// any database on it is the first argument (default: the local one), and a scratch database is
// made there and dropped afterwards.
const postgresServer = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function createMigration(label: string, databaseUrl: string): Promise<void> {
  const orm = await initORM(databaseUrl)
  try {
    const result = await orm.getMigrator().createMigration()
    if (result.diff.up.length === 0) console.log(`${label}: entities and migrations agree, no migration needed.`)
    else console.log(`${label}: wrote ${result.fileName}; add it to the index.ts beside it.`)
  } finally {
    await orm.close()
  }
}

await createMigration('SQLite', 'sqlite::memory:')
const scratch = await createScratchDatabase(postgresServer, 'blog_migration')
try {
  await createMigration('PostgreSQL', scratch.url)
} finally {
  await scratch.drop()
}
