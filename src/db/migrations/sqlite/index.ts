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
import { Migration20261207041445 } from './Migration20261207041445.js'
import { Migration20261207054028 } from './Migration20261207054028.js'
import { Migration20261207055247 } from './Migration20261207055247.js'
import { Migration20261207135405 } from './Migration20261207135405.js'

/** Every SQLite migration, oldest first. `npm run migration:create` writes a new file; add it here. */
export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20261127172252', class: Migration20261127172252 },
  { name: 'Migration20261127173733', class: Migration20261127173733 },
  { name: 'Migration20261202020404', class: Migration20261202020404 },
  { name: 'Migration20261202024507', class: Migration20261202024507 },
  { name: 'Migration20261202024557', class: Migration20261202024557 },
  { name: 'Migration20261202031556', class: Migration20261202031556 },
  { name: 'Migration20261202051949', class: Migration20261202051949 },
  { name: 'Migration20261207031500', class: Migration20261207031500 },
  { name: 'Migration20261207033357', class: Migration20261207033357 },
  { name: 'Migration20261207041445', class: Migration20261207041445 },
  { name: 'Migration20261207054028', class: Migration20261207054028 },
  { name: 'Migration20261207055247', class: Migration20261207055247 },
  { name: 'Migration20261207135405', class: Migration20261207135405 },
]
