import type { MigrationObject } from '@mikro-orm/core'
import { Migration20261127172252 } from './Migration20261127172252.js'
import { Migration20261127173733 } from './Migration20261127173733.js'
import { Migration20261202020404 } from './Migration20261202020404.js'
import { Migration20261202024507 } from './Migration20261202024507.js'
import { Migration20261202024557 } from './Migration20261202024557.js'
import { Migration20261202031556 } from './Migration20261202031556.js'
import { Migration20261202051949 } from './Migration20261202051949.js'
import { Migration20261207031500 } from './Migration20261207031500.js'
import { Migration20261207033357 } from './Migration20261207033357.js'
import { Migration20261207041446 } from './Migration20261207041446.js'
import { Migration20261207054029 } from './Migration20261207054029.js'
import { Migration20261207055248 } from './Migration20261207055248.js'
import { Migration20261207135406 } from './Migration20261207135406.js'

/**
 * Every PostgreSQL migration, oldest first. The same steps as SQLite's, under the same names, in
 * PostgreSQL's dialect. `npm run migration:create` writes a new file; add it here.
 */
export const postgresqlMigrations: MigrationObject[] = [
  { name: 'Migration20261127172252', class: Migration20261127172252 },
  { name: 'Migration20261127173733', class: Migration20261127173733 },
  { name: 'Migration20261202020404', class: Migration20261202020404 },
  { name: 'Migration20261202024507', class: Migration20261202024507 },
  { name: 'Migration20261202024557', class: Migration20261202024557 },
  { name: 'Migration20261202031556', class: Migration20261202031556 },
  { name: 'Migration20261202051949', class: Migration20261202051949 },
  { name: 'Migration20261207031500', class: Migration20261207031500 },
  { name: 'Migration20261207033357', class: Migration20261207033357 },
  { name: 'Migration20261207041446', class: Migration20261207041446 },
  { name: 'Migration20261207054029', class: Migration20261207054029 },
  { name: 'Migration20261207055248', class: Migration20261207055248 },
  { name: 'Migration20261207135406', class: Migration20261207135406 },
]
