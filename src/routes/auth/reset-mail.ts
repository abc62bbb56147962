import { html } from 'hono/html'
import type { Mail } from '../../mail/transport.js'

export interface ResetMailInput {
  to: string
  username: string
  link: string
  expireMinutes: number
}

export async function resetMail({ to, username, link, expireMinutes }: ResetMailInput): Promise<Mail> {
  const subject = 'Reset your password'
  const text = [
    `Hello ${username},`,
    '',
    `Someone asked to reset the password of your account. To choose a new password, open this link within ${expireMinutes} minutes:`,
    '',
    link,
    '',
    'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
  ].join('\n')
  const body = await html`<p>Hello ${username},</p>
<p>Someone asked to reset the password of your account. To choose a new password, open this link within ${expireMinutes} minutes:</p>
<p><a href="${link}">Reset your password</a></p>
<p>The link works once. If you did not ask for it, ignore this mail: your password stays as it is.</p>`
  return { to, subject, text, html: String(body) }
}
