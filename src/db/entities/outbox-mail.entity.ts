import { defineEntity, type InferEntity } from '@mikro-orm/core'

/** Where a mail of the outbox is: waiting to be sent (or being sent), sent, or given up. */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

/**
 * A mail of the outbox (src/mail/outbox.ts), written in the transaction of the change that causes
 * it and sent by whichever instance claims it. Its content (recipient, subject, text, HTML) is
 * sealed (src/auth/sealed-box.ts) and deleted once the mail is sent or given up; the row, with
 * nothing of the mail but its Message-ID, is deleted after OUTBOX_RETENTION_DAYS.
 */
export const OutboxMail = defineEntity({
  name: 'OutboxMail',
  tableName: 'outbox',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    // Sent as the Message-ID header, the same on every attempt, so a receiver can drop a duplicate.
    messageId: p.string().length(255).unique(),
    status: p.string().length(10).$type<OutboxStatus>().default('pending'),
    // Attempts started so far; each claim counts one before the mail is handed to the transport.
    attempts: p.integer().default(0),
    // The sealed mail; null once sent or given up.
    body: p.blob().nullable(),
    createdAt: p.datetime(),
    // When a pending mail may next be claimed: at once, after a retry delay, or (while an
    // instance sends it) after the claim's lease, so a mail whose sender died is sent again.
    dueAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    // The last attempt's error (the transport's, never the mail's text).
    lastError: p.string().length(500).nullable(),
  }),
  indexes: [
    { name: 'outbox_status_due_at_index', properties: ['status', 'dueAt'] },
    { name: 'outbox_status_finished_at_index', properties: ['status', 'finishedAt'] },
  ],
})

export type OutboxMail = InferEntity<typeof OutboxMail>
