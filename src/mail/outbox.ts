import { randomUUID } from 'node:crypto'
import { sealedBox, SealedBoxError, type SealedBox } from '../auth/sealed-box.js'
import type { Config, OutboxSettings, Secret } from '../config/index.js'
import { OutboxMail } from '../db/entities/index.js'
import type { EntityManager, Orm } from '../db/orm.js'
import { claimDueMail, nextDueAt, outboxBacklog, type ClaimedMail } from '../db/outbox.js'
import { describeError, type Log } from '../http/logger.js'
import { outboxDue, outboxMails, outboxPending } from '../metrics/registry.js'
import { createMailTransport, messageIdDomain, type Mail, type MailTransport } from './transport.js'

// The key that seals mails in the outbox (HKDF's info; another purpose gets another key).
export const OUTBOX_SEAL_PURPOSE = 'blog-api outbox mail v1'
// No retry waits longer than this, whatever OUTBOX_MAX_ATTEMPTS and OUTBOX_RETRY_SECONDS make of the doubling.
const MAX_RETRY_DELAY_MS = 60 * 60_000
// After a claim finds nothing while a mail is due (another sender's claim holds it), wait this long.
const MIN_WAIT_MS = 25
const LAST_ERROR_LENGTH = 500

/** How often the sender looks after the table, and when a backlog is worth a log line. */
export interface OutboxUpkeep {
  /** How often the backlog is looked at (ms). */
  checkEveryMs: number
  /** How often sent and failed mails past their retention are deleted (ms); also once at start. */
  purgeEveryMs: number
  /** A backlog is logged while this many mails are pending, or the oldest is this old (ms). */
  backlogCount: number
  backlogAgeMs: number
}

const DEFAULT_UPKEEP: OutboxUpkeep = { checkEveryMs: 60_000, purgeEveryMs: 60 * 60_000, backlogCount: 100, backlogAgeMs: 5 * 60_000 }

export interface OutboxOptions {
  orm: Orm
  transport: MailTransport
  log: Log
  /** SECRET_KEY: mails are sealed with a key derived from it. */
  secretKey: Secret
  /** MAIL_FROM: its domain ends every Message-ID. */
  from: string
  settings: OutboxSettings
  upkeep?: Partial<OutboxUpkeep>
}

type TransactionContext = { parentTransaction?: TransactionContext }

class SendTimeoutError extends Error {
  override name = 'SendTimeoutError'
}

/**
 * The mail outbox. A service writes a mail with `enqueue(tx, mail)` in the transaction of the
 * change that causes it: if that transaction rolls back there is no mail, and once it commits the
 * mail is in the database and is sent even if this process dies the next moment.
 *
 * Every instance runs a sender (`start()`): it claims the oldest due mail (src/db/outbox.ts), sends
 * it through the transport with a Message-ID that stays the same on every attempt, and records
 * the outcome. A failed send is tried again after OUTBOX_RETRY_SECONDS, doubling each time, and
 * given up (status `failed`, with its last error, logged without its text) after
 * OUTBOX_MAX_ATTEMPTS. A claim lasts twice OUTBOX_SEND_TIMEOUT_SECONDS: a mail whose sender died
 * mid-send is due again after that, so a crash can send a mail twice (at least once), never lose
 * it. The sender looks for due mails every OUTBOX_POLL_SECONDS (the cheap index read of the next
 * due time), and at once when a transaction of this process that enqueued a mail commits.
 *
 * A mail's content is sealed (AES-256-GCM, src/auth/sealed-box.ts) to its Message-ID and deleted
 * once it is sent or given up; sent and failed rows go after OUTBOX_RETENTION_DAYS.
 */
export class Outbox {
  readonly #orm: Orm
  readonly #transport: MailTransport
  readonly #log: Log
  readonly #box: SealedBox
  readonly #domain: string
  readonly #settings: OutboxSettings
  readonly #upkeep: OutboxUpkeep
  readonly #deferred = new Set<Promise<void>>()
  // Transactions of this process that enqueued a mail: their commit wakes the sender.
  readonly #enqueuedIn = new WeakSet<object>()

  #claiming = false
  #running: Promise<void> | null = null
  #wakeAgain = false
  #timer: NodeJS.Timeout | undefined
  #upkeepTimer: NodeJS.Timeout | undefined
  #upkeepRunning: Promise<void> | null = null
  #lastPurge = 0
  #backlogged = false
  #failing = new Set<string>()

  constructor(options: OutboxOptions) {
    this.#orm = options.orm
    this.#transport = options.transport
    this.#log = options.log
    this.#box = sealedBox(options.secretKey, OUTBOX_SEAL_PURPOSE)
    this.#domain = messageIdDomain(options.from)
    this.#settings = options.settings
    this.#upkeep = { ...DEFAULT_UPKEEP, ...options.upkeep }
    options.orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: async ({ transaction }) => {
        if (transaction && this.#enqueuedIn.has(transaction as object)) this.#wake()
      },
    })
  }

  /**
   * Writes `mail` to the outbox through `em`: inside `em`'s transaction when it has one (the
   * mail then exists only if that transaction commits), else at once.
   */
  async enqueue(em: EntityManager, mail: Mail): Promise<void> {
    const messageId = `<${randomUUID()}@${this.#domain}>`
    const now = new Date()
    const body = this.#box.seal(JSON.stringify(mail), messageId)
    await em.insert(OutboxMail, { messageId, status: 'pending', attempts: 0, body, createdAt: now, dueAt: now })
    const transaction = em.isInTransaction() ? (em.getTransactionContext<TransactionContext>() ?? null) : null
    if (!transaction) {
      this.#wake()
      return
    }
    // A nested transaction (a savepoint) is committed by its outermost one.
    let outermost = transaction
    while (outermost.parentTransaction) outermost = outermost.parentTransaction
    this.#enqueuedIn.add(outermost)
  }

  /**
   * Runs `work` after the current request has been answered (so neither its time nor its outcome
   * shows in the answer); a failure is logged.
   */
  defer(work: () => Promise<void>): void {
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.#log.error({ err: error }, 'Could not prepare a mail'))
      .finally(() => this.#deferred.delete(job))
    this.#deferred.add(job)
  }

  /**
   * Starts sending: due mails now, then as they come; and the upkeep (purge, backlog). Resolves
   * once the first look and the first upkeep are done (whatever their outcome, which is logged).
   */
  async start(): Promise<void> {
    if (this.#claiming) return
    this.#claiming = true
    this.#wake()
    this.#upkeepTimer = setInterval(() => void this.#runUpkeep(), this.#upkeep.checkEveryMs).unref()
    await Promise.all([this.#running, this.#runUpkeep()])
  }

  /** Claims no more mails (a send in flight goes on; `stop()` waits for it). */
  stopClaiming(): void {
    this.#claiming = false
    clearTimeout(this.#timer)
    clearInterval(this.#upkeepTimer)
  }

  /**
   * Stops claiming, waits for the send in flight and for the work deferred so far, and logs how
   * many mails are left for the next start or another instance.
   */
  async stop(): Promise<void> {
    this.stopClaiming()
    await this.#settled()
    await this.#upkeepRunning
    try {
      const { pending } = await outboxBacklog(this.#orm.em.fork(), new Date())
      if (pending > 0) this.#log.info({ pending }, `Mail outbox: ${pending} mails left for the next start or another instance`)
    } catch (error) {
      this.#log.warn({ err: error }, 'Mail outbox: could not count the mails left')
    }
  }

  /**
   * Resolves once the deferred work is done and no mail is pending: each one sent or given up
   * (tests; they use short retry delays).
   */
  async idle(): Promise<void> {
    for (;;) {
      await this.#settled()
      const { pending } = await outboxBacklog(this.#orm.em.fork(), new Date())
      if (this.#running || this.#deferred.size > 0) continue
      if (pending === 0) return
      if (!this.#claiming) throw new Error(`The outbox holds ${pending} pending mails and is not sending`)
      this.#wake()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  async #settled(): Promise<void> {
    while (this.#running || this.#deferred.size > 0) await Promise.all([this.#running, ...this.#deferred])
  }

  /** Looks for due mails now (or right after the look in progress). */
  #wake = (): void => {
    if (!this.#claiming) return
    if (this.#running) {
      this.#wakeAgain = true
      return
    }
    clearTimeout(this.#timer)
    this.#running = this.#sendDue()
      .catch((error: unknown) => {
        this.#failed('send', 'Mail outbox: could not look for due mails; trying again', error)
        return this.#settings.pollMs
      })
      .then((waitMs) => {
        this.#running = null
        if (this.#wakeAgain) {
          this.#wakeAgain = false
          waitMs = 0
        }
        if (this.#claiming) this.#timer = setTimeout(this.#wake, waitMs).unref()
      })
  }

  /**
   * Sends due mails one at a time while any are due; resolves to how long to wait before the next
   * look. A look that finds nothing due is one read of the index, no write.
   */
  async #sendDue(): Promise<number> {
    const em = this.#orm.em.fork()
    while (this.#claiming) {
      const next = await nextDueAt(em)
      this.#recovered('send', 'Mail outbox: looking for due mails again')
      if (!next) return this.#settings.pollMs
      const now = new Date()
      const waitMs = next.getTime() - now.getTime()
      if (waitMs > 0) return Math.min(this.#settings.pollMs, Math.max(MIN_WAIT_MS, waitMs))
      const claimed = await claimDueMail(em, now, new Date(now.getTime() + 2 * this.#settings.sendTimeoutMs))
      // Another sender took it (or, on PostgreSQL, holds it while its claim commits).
      if (!claimed) return MIN_WAIT_MS
      await this.#deliver(em, claimed)
    }
    return this.#settings.pollMs
  }

  async #deliver(em: EntityManager, claimed: ClaimedMail): Promise<void> {
    const { id, messageId, attempts } = claimed
    const about = { outbox_id: id, message_id: messageId, attempt: attempts }
    const thisClaim = { id, attempts, status: 'pending' as const }
    let mail: Mail
    try {
      if (!claimed.body) throw new SealedBoxError('The mail has no body')
      mail = JSON.parse(this.#box.open(claimed.body, messageId).toString('utf8')) as Mail
    } catch (error) {
      // Retrying cannot help: another SECRET_KEY sealed it, or the row was altered.
      await em.nativeUpdate(OutboxMail, thisClaim, { status: 'failed', body: null, finishedAt: new Date(), lastError: errorText(error) })
      outboxMails.inc({ outcome: 'failed' })
      this.#log.error({ ...about, err: error }, 'Could not open a mail of the outbox (was SECRET_KEY changed?); given up')
      return
    }
    const subject = mail.subject
    try {
      await withTimeout(this.#transport.send(mail, messageId), this.#settings.sendTimeoutMs)
    } catch (error) {
      await this.#sendFailed(em, claimed, subject, error)
      return
    }
    outboxMails.inc({ outcome: 'sent' })
    const recorded = await em
      .nativeUpdate(OutboxMail, thisClaim, { status: 'sent', body: null, finishedAt: new Date(), lastError: null })
      .catch((error: unknown) => {
        this.#log.error({ ...about, err: error }, 'A mail was sent but could not be marked sent; it will be sent again, with the same Message-ID')
        return -1
      })
    if (recorded === 0) this.#log.warn(about, 'A mail was sent after its claim ran out; another sender may send it too, with the same Message-ID')
    if (recorded === 1) this.#log.info({ ...about, subject }, 'Mail sent')
  }

  async #sendFailed(em: EntityManager, claimed: ClaimedMail, subject: string, error: unknown): Promise<void> {
    const { id, messageId, attempts } = claimed
    const about = { outbox_id: id, message_id: messageId, attempt: attempts, subject }
    const thisClaim = { id, attempts, status: 'pending' as const }
    const lastError = errorText(error)
    // The error only: the mail's text holds a link that must not reach a log.
    if (attempts >= this.#settings.maxAttempts) {
      await em.nativeUpdate(OutboxMail, thisClaim, { status: 'failed', body: null, finishedAt: new Date(), lastError })
      outboxMails.inc({ outcome: 'failed' })
      this.#log.error({ ...about, err: error }, `Could not send a mail; gave up after ${attempts} attempts`)
      return
    }
    const delayMs = Math.min(this.#settings.retryMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS)
    await em.nativeUpdate(OutboxMail, thisClaim, { dueAt: new Date(Date.now() + delayMs), lastError })
    outboxMails.inc({ outcome: 'retried' })
    this.#log.warn({ ...about, err: error }, `Could not send a mail; retrying in ${delayMs / 1000} s`)
  }

  #runUpkeep(): Promise<void> {
    this.#upkeepRunning ??= this.#upkeepOnce().finally(() => {
      this.#upkeepRunning = null
    })
    return this.#upkeepRunning
  }

  /** Deletes what is past its retention, and logs the backlog while it is large or old. */
  async #upkeepOnce(): Promise<void> {
    const em = this.#orm.em.fork()
    const now = new Date()
    try {
      if (now.getTime() - this.#lastPurge >= this.#upkeep.purgeEveryMs) {
        const cutoff = new Date(now.getTime() - this.#settings.retentionMs)
        const purged = await em.nativeDelete(OutboxMail, { status: { $in: ['sent', 'failed'] }, finishedAt: { $lt: cutoff } })
        this.#lastPurge = now.getTime()
        if (purged > 0) this.#log.info({ purged }, `Mail outbox: deleted ${purged} sent or failed mails past their retention`)
      }
      const backlog = await outboxBacklog(em, now)
      outboxDue.set(backlog.due)
      outboxPending.set(backlog.pending)
      const oldestSeconds = backlog.oldestCreatedAt ? Math.round((now.getTime() - backlog.oldestCreatedAt.getTime()) / 1000) : 0
      const counts = { pending: backlog.pending, due: backlog.due, oldest_pending_seconds: oldestSeconds }
      if (backlog.pending >= this.#upkeep.backlogCount || oldestSeconds * 1000 >= this.#upkeep.backlogAgeMs) {
        this.#backlogged = true
        this.#log.warn(counts, 'Mail outbox backlog')
      } else if (this.#backlogged) {
        this.#backlogged = false
        this.#log.info(counts, 'Mail outbox backlog cleared')
      }
      this.#recovered('upkeep', 'Mail outbox: upkeep works again')
    } catch (error) {
      this.#failed('upkeep', 'Mail outbox: upkeep failed (purge or backlog check)', error)
    }
  }

  // While the database is down every look fails: one line when that starts, one when it ends.
  #failed(what: string, msg: string, error: unknown): void {
    if (this.#failing.has(what)) return
    this.#failing.add(what)
    this.#log.warn({ err: error }, msg)
  }

  #recovered(what: string, msg: string): void {
    if (this.#failing.delete(what)) this.#log.info(msg)
  }
}

/** What the row keeps of an error: its name and message (a transport's, never the mail's text). */
function errorText(error: unknown): string {
  const { error: name, message } = describeError(error)
  return `${String(name)}: ${String(message ?? '')}`.slice(0, LAST_ERROR_LENGTH)
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(`The send took more than ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The outbox the configuration describes, not yet sending (`start()`): SMTP_URL (or the log) as
 * its transport unless another is given, and the OUTBOX_* settings.
 */
export function createOutbox(
  orm: Orm,
  config: Pick<Config, 'secretKey' | 'mail' | 'outbox'>,
  log: Log,
  options: { transport?: MailTransport; upkeep?: Partial<OutboxUpkeep> } = {},
): Outbox {
  const transport = options.transport ?? createMailTransport(config.mail, log, { timeoutMs: config.outbox.sendTimeoutMs })
  return new Outbox({ orm, transport, log, secretKey: config.secretKey, from: config.mail.from, settings: config.outbox, upkeep: options.upkeep })
}
