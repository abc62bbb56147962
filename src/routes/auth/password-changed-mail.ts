import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface PasswordChangedMailInput {
  to: string
  username: string
  /** How it changed: 'changed' from the account, or 'reset' with a reset link. */
  how: 'changed' | 'reset'
  forgotPasswordLink: string
}

/** The notice to the account's address that its password was changed or reset. */
export function passwordChangedMail({ to, username, how, forgotPasswordLink }: PasswordChangedMailInput): Promise<Mail> {
  const what = how === 'reset' ? 'The password of your account was reset with a link mailed to this address.' : 'The password of your account was changed.'
  return composeMail({
    to,
    subject: how === 'reset' ? 'Your password was reset' : 'Your password was changed',
    username,
    before: [`${what} Every earlier sign-in has ended. If you made the change, there is nothing to do.`, 'If you did not, reset your password now:'],
    link: { href: forgotPasswordLink },
  })
}
