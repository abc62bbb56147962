import type { Orm } from './orm.js'

interface TarnPool {
  numUsed(): number
  numPendingAcquires(): number
}

/** Connections lent out of the ORM's pool (knex's tarn pool) and queries waiting for one. */
export function poolUse(orm: Orm): { used: number; waiting: number } {
  const { pool } = orm.em.getConnection().getKnex().client as { pool?: TarnPool }
  return pool ? { used: pool.numUsed(), waiting: pool.numPendingAcquires() } : { used: 0, waiting: 0 }
}
