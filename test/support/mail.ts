import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  from: string
  to: string[]
  /** The message as received, quoted-printable soft breaks and escapes decoded. */
  message: string
}

export interface MailServer {
  url: string
  port: number
  /** The mails accepted, in order. */
  received: ReceivedMail[]
  /** The next mail to arrive (or the one that already did and was not yet taken). */
  next(timeoutMs?: number): Promise<ReceivedMail>
  /** Answers the DATA of the next `count` mails with a temporary failure (451), as a busy server does. */
  refuseNext(count: number): void
  /** The mails refused so far. */
  refused: ReceivedMail[]
  /** From now on, takes each mail's DATA but does not answer it (a slow server) until `release()`. */
  hold(): void
  /** The mails taken while holding, whose sender waits for the answer. */
  held: ReceivedMail[]
  /** Answers the held mails (accepted: they join `received`; or refused with 451) and stops holding. */
  release(outcome?: 'accept' | 'refuse'): void
  /** Stops the server; stopping it again is harmless. */
  stop(): Promise<void>
}

const decodeQuotedPrintable = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

const temporaryFailure = () => Object.assign(new Error('Try again later'), { responseCode: 451 })

/**
 * A real SMTP server on 127.0.0.1 (on `port`, or any free one) that keeps what it receives; with
 * `answerAfterMs`, each mail is answered that long after its DATA arrived.
 */
export async function startMailServer(options: { port?: number; answerAfterMs?: number } = {}): Promise<MailServer> {
  const received: ReceivedMail[] = []
  const refused: ReceivedMail[] = []
  const held: { mail: ReceivedMail; answer: (error?: Error) => void }[] = []
  let taken = 0
  let refusals = 0
  let holding = false
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
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          message: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        }
        if (refusals > 0) {
          refusals -= 1
          refused.push(mail)
          callback(temporaryFailure())
          return
        }
        if (holding) {
          held.push({ mail, answer: callback })
          return
        }
        const accept = () => {
          received.push(mail)
          waiters.splice(0).forEach((wake) => wake())
          callback()
        }
        if (options.answerAfterMs) setTimeout(accept, options.answerAfterMs)
        else accept()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
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
    refuseNext(count) {
      refusals += count
    },
    refused,
    hold() {
      holding = true
    },
    get held() {
      return held.map(({ mail }) => mail)
    },
    release(outcome = 'accept') {
      holding = false
      for (const { mail, answer } of held.splice(0)) {
        if (outcome === 'refuse') {
          answer(temporaryFailure())
          continue
        }
        received.push(mail)
        answer()
      }
      waiters.splice(0).forEach((wake) => wake())
    },
    stop: () => (stopped ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  }
}

/** The reset link in a received mail, and its token. */
export function resetLink(mail: ReceivedMail): { link: string; token: string } {
  const match = /(\S+\/reset-password#token=([A-Za-z0-9_-]{43}))/.exec(mail.message)
  if (!match) throw new Error('No reset link in the mail')
  return { link: match[1]!, token: match[2]! }
}

/** The Message-ID header of a received mail. */
export function messageIdOf(mail: ReceivedMail): string {
  const match = /^Message-ID: (<[^>\r\n]+>)\r?$/im.exec(mail.message)
  if (!match) throw new Error('No Message-ID in the mail')
  return match[1]!
}

/** The email-verification link in a received mail, and its token. */
export function verificationLink(mail: ReceivedMail): { link: string; token: string } {
  const match = /(\S+\/verify-email#token=([A-Za-z0-9_-]{43}))/.exec(mail.message)
  if (!match) throw new Error('No verification link in the mail')
  return { link: match[1]!, token: match[2]! }
}

/** The subject of a received mail. */
export function subjectOf(mail: ReceivedMail): string {
  const match = /^Subject: (.*?)\r?$/m.exec(mail.message)
  if (!match) throw new Error('No Subject in the mail')
  return match[1]!
}
