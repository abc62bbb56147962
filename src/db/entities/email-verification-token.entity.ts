import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { User } from './user.entity.js'

/**
 * An email-verification link's token, by its SHA-256 only, and the address it was mailed to: it
 * verifies that address, and only while it is still the account's email.
 */
export const EmailVerificationToken = defineEntity({
  name: 'EmailVerificationToken',
  tableName: 'email_verification_tokens',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    email: p.string().length(FIELD_LIMITS.email.max),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    // Set when the token verifies the address, and when a newer link or an email change ends it.
    usedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'email_verification_tokens_user_id_index', properties: ['user'] }],
})

export type EmailVerificationToken = InferEntity<typeof EmailVerificationToken>
