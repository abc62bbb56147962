import { defineEntity, type InferEntity } from '@mikro-orm/core'

/**
 * Totals the database keeps itself, by name: triggers on posts (see the migrations) add and
 * subtract in the same transaction as each write, so `posts` is always the exact number of posts
 * and a page reads it instead of counting. Never written by the service.
 */
export const Counter = defineEntity({
  name: 'Counter',
  tableName: 'counters',
  properties: (p) => ({
    name: p.string().primary().length(50),
    value: p.integer().default(0),
  }),
})

export type Counter = InferEntity<typeof Counter>
