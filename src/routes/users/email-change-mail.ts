import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface EmailChangedMailInput {
  /** The address the account had: the notice goes there, never to the new one. */
  to: string
  username: string
  forgotPasswordLink: string
}

/** The notice to the old address that the account's email was changed. */
export function emailChangedMail({ to, username, forgotPasswordLink }: EmailChangedMailInput): Promise<Mail> {
  return composeMail({
    to,
    subject: 'Your email address was changed',
    username,
    before: [
      'The email address of your account was changed, so mail for the account no longer comes to this address. If you made the change, there is nothing to do.',
      'If you did not, someone else knows your password: log in now, set your email back and change your password. A forgotten password is reset here:',
    ],
    link: { href: forgotPasswordLink },
  })
}
