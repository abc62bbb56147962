import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * The second step of a sign-in whose password was right: its `mfa_token` is `<selector>.<verifier>`
 * (src/auth/split-tokens.ts). It works once, for its account, until it expires or has taken
 * MAX_CODE_FAILURES wrong codes.
 */
export const MfaChallenge = defineEntity({
  name: 'MfaChallenge',
  tableName: 'mfa_challenges',
  properties: (p) => ({
    selector: p.string().length(22).primary(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    verifierHash: p.string().length(64),
    expiresAt: p.datetime(),
    failures: p.integer().default(0),
    usedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'mfa_challenges_user_id_index', properties: ['user'] }],
})

export type MfaChallenge = InferEntity<typeof MfaChallenge>
