import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * A user's TOTP secret: pending until a code from it confirms the enrolment, then the account's
 * second factor. Kept sealed (src/auth/sealed-box.ts), never in the clear. `lastUsedStep` is the
 * time step of the last code accepted: a code is taken only for a later step, so none is used twice.
 */
export const TwoFactorSecret = defineEntity({
  name: 'TwoFactorSecret',
  tableName: 'two_factor_secrets',
  properties: (p) => ({
    user: p.manyToOne(User).primary().fieldName('user_id').deleteRule('cascade'),
    secretSealed: p.text(),
    createdAt: p.datetime(),
    confirmedAt: p.datetime().nullable(),
    lastUsedStep: p.integer().nullable(),
  }),
})

export type TwoFactorSecret = InferEntity<typeof TwoFactorSecret>
