import type { EntityManager } from './orm.js'
import { isPostgres, sqlTimestamp } from './timestamps.js'

/** A mail of the outbox as a claim hands it to its sender. */
export interface ClaimedMail {
  id: number
  messageId: string
  /** The attempts started so far, this one included; it also marks the claim (see claimDueMail). */
  attempts: number
  body: Buffer | null
}

// One statement each: the oldest due pending mail gets its attempt counted and its due time
// moved to the end of the claim's lease, so no other sender picks it up while this one sends it.
//
// PostgreSQL: the subquery locks the row it picks and skips rows that another sender's claim has
// locked, so concurrent claims take different mails without waiting for each other; a row whose
// claim committed meanwhile is re-read under the lock, fails `due_at <= ?` and is passed over.
const CLAIM_POSTGRESQL = `
  update outbox set attempts = attempts + 1, due_at = ?
  where id = (
    select id from outbox where status = 'pending' and due_at <= ?
    order by due_at, id limit 1
    for update skip locked)
  returning id, message_id, attempts, body`

// SQLite: a write statement takes the database's write lock before it reads, so the subquery and
// the update see the same rows and no other connection or process writes in between; the
// second of two claims finds the first one's lease and takes the next mail, or none.
const CLAIM_SQLITE = `
  update outbox set attempts = attempts + 1, due_at = ?
  where id = (
    select id from outbox where status = 'pending' and due_at <= ?
    order by due_at, id limit 1)
  returning id, message_id, attempts, body`

interface ClaimRow {
  id: number
  message_id: string
  attempts: number
  body: Buffer | null
}


/**
 * Claims the oldest pending mail due at `now`, for its sender until `leaseUntil`: after that it is
 * due again, in case its sender died mid-send. The claimed row's `attempts` tells this claim from
 * a later one, so a sender writes its outcome only while its claim is the current one.
 */
export async function claimDueMail(em: EntityManager, now: Date, leaseUntil: Date): Promise<ClaimedMail | undefined> {
  const sql = isPostgres(em) ? CLAIM_POSTGRESQL : CLAIM_SQLITE
  const rows = await em.execute<ClaimRow[]>(sql, [sqlTimestamp(em, leaseUntil), sqlTimestamp(em, now)], 'all')
  const row = rows[0]
  if (!row) return undefined
  return { id: Number(row.id), messageId: row.message_id, attempts: Number(row.attempts), body: row.body ? Buffer.from(row.body) : null }
}

/** When the next pending mail is due (perhaps already), by the status index; undefined when none is pending. */
export async function nextDueAt(em: EntityManager): Promise<Date | undefined> {
  const [row] = await em.execute<{ due_at: Date | number }[]>(
    `select due_at from outbox where status = 'pending' order by due_at limit 1`,
    [],
    'all',
  )
  return row ? new Date(row.due_at) : undefined
}

export interface OutboxBacklog {
  /** Mails not yet sent or given up. */
  pending: number
  /** Of those, the ones due now (the rest wait for a retry, or are being sent). */
  due: number
  /** When the oldest pending mail was written; null when none is pending. */
  oldestCreatedAt: Date | null
}

interface BacklogRow {
  pending: number | string
  due: number | string | null
  oldest: Date | number | null
}

/** How many mails wait, and since when (one pass over the pending rows of the status index). */
export async function outboxBacklog(em: EntityManager, now: Date): Promise<OutboxBacklog> {
  const [row] = await em.execute<BacklogRow[]>(
    `select count(*) as pending, sum(case when due_at <= ? then 1 else 0 end) as due, min(created_at) as oldest
     from outbox where status = 'pending'`,
    [sqlTimestamp(em, now)],
    'all',
  )
  // PostgreSQL answers count(*) and sum() as bigint strings.
  const oldest = row?.oldest ?? null
  return {
    pending: Number(row?.pending ?? 0),
    due: Number(row?.due ?? 0),
    oldestCreatedAt: oldest === null ? null : new Date(oldest),
  }
}
