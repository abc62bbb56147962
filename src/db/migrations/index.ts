import type { MigrationObject } from '@mikro-orm/core'
import { Migration20261127172252 } from './Migration20261127172252.js'
import { Migration20261127173733 } from './Migration20261127173733.js'

/** Every migration, oldest first. `npm run migration:create` writes a new file; add it here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127172252', class: Migration20261127172252 },
  { name: 'Migration20261127173733', class: Migration20261127173733 },
]
