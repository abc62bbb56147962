import { describeError, type Log } from '../http/logger.js'
import type { Mail, MailTransport } from './transport.js'

// After a failure, the next attempts wait this long; then the mail is given up, with an error logged.
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000]

/**
 * Sends mails off the request path: a request hands over the work of writing a mail and answers
 * at once, so neither the work nor the SMTP server's speed or failure shows in its answer. The
 * queue is in-process: mails still unsent when the process stops are lost.
 */
export class Outbox {
  readonly #pending = new Set<Promise<void>>()

  constructor(
    private readonly transport: MailTransport,
    private readonly log: Log,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  /** Runs `compose` after the current request has been answered, and sends the mail it returns, if any. */
  post(compose: () => Promise<Mail | null>): void {
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(compose)
      .then(async (mail) => {
        if (mail) await this.#deliver(mail)
      })
      .catch((error: unknown) => this.log({ level: 'error', msg: 'Could not prepare a mail', ...describeError(error) }))
      .finally(() => this.#pending.delete(job))
    this.#pending.add(job)
  }

  async #deliver(mail: Mail): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.transport.send(mail)
        return
      } catch (error) {
        const delay = this.retryDelaysMs[attempt - 1]
        // The error only: the mail's text holds a link that must not reach a log.
        this.log({
          level: delay === undefined ? 'error' : 'warn',
          msg: delay === undefined ? `Could not send a mail; gave up after ${attempt} attempts` : `Could not send a mail; retrying in ${delay / 1000} s`,
          subject: mail.subject,
          ...describeError(error),
        })
        if (delay === undefined) return
        await new Promise((resolve) => setTimeout(resolve, delay).unref())
      }
    }
  }

  /** Resolves when every mail handed over so far is sent or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending)
  }
}
