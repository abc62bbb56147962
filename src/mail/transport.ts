import nodemailer from 'nodemailer'
import type { MailSettings } from '../config/index.js'
import type { Log } from '../http/logger.js'

export interface Mail {
  to: string
  subject: string
  text: string
  html: string
}

/** Where mails go: an SMTP server, or the log in development. */
export interface MailTransport {
  /**
   * Sends `mail` with this Message-ID header (`<id@domain>`), the same on every attempt at one
   * mail, so a receiver can drop a copy sent twice.
   */
  send(mail: Mail, messageId: string): Promise<void>
  /** For the start-up line. */
  readonly description: string
}

export interface TransportOptions {
  /**
   * How long the SMTP connection may take to open, to greet, and stay silent (ms); nodemailer's
   * own defaults run to 10 minutes. The outbox also gives up on a send that takes longer in all.
   */
  timeoutMs?: number
}

/** Made once per process, from SMTP_URL; without one, each mail is a JSON line in the log (its text redacted). */
export function createMailTransport(settings: MailSettings, log: Log, options: TransportOptions = {}): MailTransport {
  if (!settings.smtpUrl) {
    return {
      description: 'mails go to the log, without their text (no SMTP_URL)',
      // The text holds reset and verification links: the log's redaction keeps it out.
      send: async ({ to, subject, text }, messageId) => log.info({ to, subject, text, message_id: messageId }, 'mail'),
    }
  }
  const smtpUrl = settings.smtpUrl.reveal()
  const timeouts = options.timeoutMs ? { connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs } : {}
  const smtp = nodemailer.createTransport({ url: smtpUrl, ...timeouts })
  const { protocol, hostname, port } = new URL(smtpUrl)
  return {
    description: `mails go to ${protocol}//${hostname}${port ? `:${port}` : ''}`,
    send: async (mail, messageId) => {
      await smtp.sendMail({ from: settings.from, ...mail, messageId })
    },
  }
}

/** The domain of MAIL_FROM's address (`Blog <no-reply@example.com>` gives example.com), for Message-IDs. */
export function messageIdDomain(from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1]
  return domain && domain.length <= 200 ? domain : 'localhost'
}
