import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * A password-reset link's token, by its SHA-256 only: the token itself exists in the mail alone,
 * so a copy of the database cannot reset anyone's password.
 */
export const PasswordResetToken = defineEntity({
  name: 'PasswordResetToken',
  tableName: 'password_reset_tokens',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    // Set when the token resets a password, and when a newer request or a reset ends it.
    usedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'password_reset_tokens_user_id_index', properties: ['user'] }],
})

export type PasswordResetToken = InferEntity<typeof PasswordResetToken>
