import { defineEntity, type InferEntity } from '@mikro-orm/core'

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    username: p.string().length(50),
    email: p.string().length(120),
    // Lazy and hidden: only the login and password-change paths ask for it explicitly.
    passwordHash: p.text().lazy(true, false).hidden(),
    imageFile: p.string().length(200).nullable(),
    // Set when the password changes; tokens issued under an earlier password stop working.
    passwordChangedAt: p.datetime().nullable(),
  }),
  // Case-insensitive uniqueness can only be expressed as indexes on lower(...).
  uniques: [
    {
      name: 'users_username_ci_unique',
      expression: 'create unique index `users_username_ci_unique` on `users` (lower(`username`))',
    },
    {
      name: 'users_email_ci_unique',
      expression: 'create unique index `users_email_ci_unique` on `users` (lower(`email`))',
    },
  ],
})

export type User = InferEntity<typeof User>
