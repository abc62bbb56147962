import { html } from 'hono/html'
import type { Mail } from '../../mail/transport.js'

export interface VerificationMailInput {
  /** The address to verify: the link proves that this inbox is the account's. */
  to: string
  username: string
  link: string
  expireHours: number
}

/** The link that verifies an account's email address. */
export async function verificationMail({ to, username, link, expireHours }: VerificationMailInput): Promise<Mail> {
  const subject = 'Verify your email address'
  const text = [
    `Hello ${username},`,
    '',
    `To confirm that this is the email address of your account, open this link within ${expireHours} hours:`,
    '',
    link,
    '',
    'The link works once, and only the newest one sent works. If you did not make an account, ignore this mail.',
  ].join('\n')
  const body = await html`<p>Hello ${username},</p>
<p>To confirm that this is the email address of your account, open this link within ${expireHours} hours:</p>
<p><a href="${link}">Verify your email address</a></p>
<p>The link works once, and only the newest one sent works. If you did not make an account, ignore this mail.</p>`
  return { to, subject, text, html: String(body) }
}
