import { defineEntity, type InferEntity } from '@mikro-orm/core'

/**
 * The counters of rate-limiter-flexible's SQL stores (its own table layout), kept in the
 * service's database so every instance shares them. Declared here so the migrations make it.
 */
export const RateLimit = defineEntity({
  name: 'RateLimit',
  tableName: 'rate_limits',
  properties: (p) => ({
    key: p.string().primary().length(255),
    points: p.integer().default(0),
    // Milliseconds since the epoch when the count ends.
    expire: p.bigint('number').nullable(),
  }),
})

export type RateLimit = InferEntity<typeof RateLimit>
