import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * One of a user's one-time recovery codes, by its HMAC only (src/auth/recovery-codes.ts): the
 * codes themselves are shown once, when the set is made. A new set replaces the old one.
 */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_codes',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    codeHash: p.string().length(64),
    usedAt: p.datetime().nullable(),
  }),
  uniques: [{ name: 'recovery_codes_user_id_code_hash_unique', properties: ['user', 'codeHash'] }],
})

export type RecoveryCode = InferEntity<typeof RecoveryCode>
