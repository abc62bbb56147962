import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { Outbox } from '../../src/mail/outbox.js'
import { createMailTransport } from '../../src/mail/transport.js'
import type { Log } from '../../src/http/logger.js'
import { testConfig } from './context.js'

export interface ReceivedMail {
  from: string
  to: string[]
  /** The message as received, quoted-printable soft breaks and escapes decoded. */
  message: string
}

export interface MailServer {
  url: string
  received: ReceivedMail[]
  /** The next mail to arrive (or the one that already did and was not yet taken). */
  next(timeoutMs?: number): Promise<ReceivedMail>
  /** Stops the server; stopping it again is harmless. */
  stop(): Promise<void>
}

const decodeQuotedPrintable = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export async function startMailServer(): Promise<MailServer> {
  const received: ReceivedMail[] = []
  let taken = 0
  let stopped: Promise<void> | undefined
  const waiters: (() => void)[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          message: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        })
        waiters.splice(0).forEach((wake) => wake())
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length <= taken) {
        if (Date.now() > deadline) throw new Error('No mail arrived')
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return received[taken++]!
    },
    stop: () => (stopped ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  }
}

/** An outbox that sends through SMTP at `smtpUrl`, retrying quickly. */
export function testOutbox(smtpUrl: string, log: Log, retryDelaysMs = [20, 20]): Outbox {
  return new Outbox(createMailTransport(testConfig({ SMTP_URL: smtpUrl }).mail, log), log, retryDelaysMs)
}

/** The reset link in a received mail, and its token. */
export function resetLink(mail: ReceivedMail): { link: string; token: string } {
  const match = /(\S+\/reset-password#token=([A-Za-z0-9_-]{43}))/.exec(mail.message)
  if (!match) throw new Error('No reset link in the mail')
  return { link: match[1]!, token: match[2]! }
}
