import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { Session } from './session.entity.js'

/**
 * A refresh token of a session, every one it was ever issued: the live one (not rotated) and
 * those rotated away, kept until the session ends so that any of them presented again is known
 * for a reuse. The token is `<selector>.<verifier>`: the selector finds the row, the verifier's
 * SHA-256 is compared in constant time; the verifier itself is never stored.
 */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: (p) => ({
    selector: p.string().length(22).primary(),
    session: p.manyToOne(Session).fieldName('session_id').deleteRule('cascade'),
    verifierHash: p.string().length(64),
    createdAt: p.datetime(),
    rotatedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'refresh_tokens_session_id_index', properties: ['session'] }],
})

export type RefreshToken = InferEntity<typeof RefreshToken>
