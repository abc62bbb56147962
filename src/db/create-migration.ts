import { initORM } from './orm.js'

// Diffs the entities against the schema that the committed migrations build, and writes the
// difference as a new migration file.
const orm = await initORM('sqlite::memory:')
try {
  const result = await orm.getMigrator().createMigration()
  if (result.diff.up.length === 0) {
    console.log('Entities and migrations agree: no migration needed.')
  } else {
    console.log(`Wrote src/db/migrations/${result.fileName}: add it to src/db/migrations/index.ts`)
  }
} finally {
  await orm.close()
}
