import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * A WebAuthn challenge given out with the options of a passkey registration (bound to its user)
 * or sign-in (bound to nobody: the passkey names its account). Kept in the database, so the
 * verification may reach another instance than the options; it is deleted by the one
 * verification that uses it, and worthless once expired.
 */
export const WebauthnChallenge = defineEntity({
  name: 'WebauthnChallenge',
  tableName: 'webauthn_challenges',
  properties: (p) => ({
    challenge: p.string().length(64).primary(),
    // 'registration' or 'authentication'.
    purpose: p.string().length(16),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade').nullable(),
    expiresAt: p.datetime(),
  }),
  indexes: [
    { name: 'webauthn_challenges_user_id_index', properties: ['user'] },
    { name: 'webauthn_challenges_expires_at_index', properties: ['expiresAt'] },
  ],
})

export type WebauthnChallenge = InferEntity<typeof WebauthnChallenge>
