import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { FIELD_LIMITS } from '../../rules/fields.js'

// The comparison keys (src/rules/names.ts), set with the name whenever it is set: the request
// schemas give both (src/lib/users.ts). A row whose key the migration had to tell apart from
// another's (`<key>#<id>`) keeps it until its owner picks a new name, so a password change never
// trips over the collision. Text, not varchar: a key can be longer than its name (ß becomes "ss").

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    username: p.string().length(FIELD_LIMITS.username.max),
    email: p.string().length(FIELD_LIMITS.email.max),
    usernameKey: p.text(),
    emailKey: p.text(),
    // Lazy and hidden: only the login and password-change paths ask for it explicitly.
    passwordHash: p.text().lazy(true, false).hidden(),
    // Whether the current email was proven by a link mailed to it; a new email starts unverified.
    emailVerified: p.boolean().default(false),
    // Whether sign-in asks for a second factor: set when an enrolment is confirmed (two_factor_secrets).
    twoFactorEnabled: p.boolean().default(false),
    imageFile: p.string().length(FIELD_LIMITS.imageFile.max).nullable(),
    // Set when the password changes; tokens issued under an earlier password stop working.
    passwordChangedAt: p.datetime().nullable(),
    // How many posts the user has, kept by the database's triggers on posts (see the migrations)
    // for the user's page of posts. Lazy, so no load ever holds a value a flush could write back.
    postCount: p.integer().default(0).lazy(),
  }),
  // Uniqueness, whatever the case or form of a name, is uniqueness of its key.
  uniques: [
    { name: 'users_username_key_unique', properties: ['usernameKey'] },
    { name: 'users_email_key_unique', properties: ['emailKey'] },
  ],
})

export type User = InferEntity<typeof User>
