import { html } from 'hono/html'
import type { Mail } from '../../mail/transport.js'

export interface PasswordChangedMailInput {
  to: string
  username: string
  /** How it changed: 'changed' from the account, or 'reset' with a reset link. */
  how: 'changed' | 'reset'
  forgotPasswordLink: string
}

/** The notice to the account's address that its password was changed or reset. */
export async function passwordChangedMail({ to, username, how, forgotPasswordLink }: PasswordChangedMailInput): Promise<Mail> {
  const subject = how === 'reset' ? 'Your password was reset' : 'Your password was changed'
  const what = how === 'reset' ? 'The password of your account was reset with a link mailed to this address.' : 'The password of your account was changed.'
  const text = [
    `Hello ${username},`,
    '',
    `${what} Every earlier sign-in has ended. If you made the change, there is nothing to do.`,
    '',
    'If you did not, reset your password now:',
    '',
    forgotPasswordLink,
  ].join('\n')
  const body = await html`<p>Hello ${username},</p>
<p>${what} Every earlier sign-in has ended. If you made the change, there is nothing to do.</p>
<p>If you did not, reset your password now:</p>
<p><a href="${forgotPasswordLink}">${forgotPasswordLink}</a></p>`
  return { to, subject, text, html: String(body) }
}
