import { defineEntity, quote, type InferEntity } from '@mikro-orm/core'
import { FIELD_LIMITS } from '../../rules/fields.js'

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    username: p.string().length(FIELD_LIMITS.username.max),
    email: p.string().length(FIELD_LIMITS.email.max),
    // Lazy and hidden: only the login and password-change paths ask for it explicitly.
    passwordHash: p.text().lazy(true, false).hidden(),
    imageFile: p.string().length(FIELD_LIMITS.imageFile.max).nullable(),
    // Set when the password changes; tokens issued under an earlier password stop working.
    passwordChangedAt: p.datetime().nullable(),
  }),
  // Case-insensitive uniqueness can only be expressed as indexes on lower(...). `quote` quotes
  // the identifiers for whichever database is in use.
  uniques: [
    {
      name: 'users_username_ci_unique',
      expression: (table, columns, name) => quote`create unique index ${name} on ${table.name} (lower(${columns.username}))`,
    },
    {
      name: 'users_email_ci_unique',
      expression: (table, columns, name) => quote`create unique index ${name} on ${table.name} (lower(${columns.email}))`,
    },
  ],
})

export type User = InferEntity<typeof User>
