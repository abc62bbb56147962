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
  send(mail: Mail): Promise<void>
  /** For the start-up line. */
  readonly description: string
}

/** Made once per process, from SMTP_URL; without one, each mail is a JSON line in the log. */
export function createMailTransport(settings: MailSettings, log: Log): MailTransport {
  if (!settings.smtpUrl) {
    return {
      description: 'mails go to the log (no SMTP_URL)',
      send: async ({ to, subject, text }) => log({ level: 'info', msg: 'mail', to, subject, text }),
    }
  }
  const smtpUrl = settings.smtpUrl.reveal()
  const smtp = nodemailer.createTransport(smtpUrl)
  const { protocol, hostname, port } = new URL(smtpUrl)
  return {
    description: `mails go to ${protocol}//${hostname}${port ? `:${port}` : ''}`,
    send: async (mail) => {
      await smtp.sendMail({ from: settings.from, ...mail })
    },
  }
}
