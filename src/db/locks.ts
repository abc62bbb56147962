import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import type { EntityManager } from './orm.js'

/**
 * Locks a user's row for the rest of the transaction `tx`, as a write that changes the row's
 * children (but not its key) would. On PostgreSQL this orders a post's delete after its
 * author's lock, the order an account's delete takes them in, so the two wait instead of
 * deadlocking. SQLite has one writer at a time and needs no lock.
 */
export async function lockUserRow(tx: EntityManager, userId: number): Promise<void> {
  if (tx.getDriver() instanceof PostgreSqlDriver) await tx.execute('select 1 from users where id = ? for no key update', [userId])
}
