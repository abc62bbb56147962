import type { MigrationObject } from '@mikro-orm/core'

/** Every migration, oldest first. `npm run migration:create` writes a new file; add it here. */
export const migrationsList: MigrationObject[] = []
