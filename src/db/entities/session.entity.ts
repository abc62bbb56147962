import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { User } from './user.entity.js'

/**
 * A signed-in device: what a sign-in starts and a refresh token keeps alive. Its id is random
 * and is the `sid` of every access token issued for it; the current-user read joins it, so a
 * session deleted (signed out, revoked, its account gone) or expired ends its tokens at once.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: (p) => ({
    id: p.string().length(36).primary(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    createdAt: p.datetime(),
    // Refreshed by sign-in, by each rotation and, at most every few minutes, by requests.
    lastUsedAt: p.datetime(),
    // The sooner of the idle limit (moved on by each rotation) and the absolute one.
    expiresAt: p.datetime(),
    // The client's address when last used (up to an IPv6 address with a zone), and its User-Agent.
    clientAddress: p.string().length(64),
    userAgent: p.string().length(512).nullable(),
  }),
  indexes: [
    { name: 'sessions_user_id_index', properties: ['user'] },
    { name: 'sessions_expires_at_index', properties: ['expiresAt'] },
  ],
})

export type Session = InferEntity<typeof Session>
