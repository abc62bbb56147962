import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface TwoFactorMailInput {
  to: string
  username: string
  turned: 'on' | 'off'
  accountLink: string
}

/** The notice to the account's address that two-factor sign-in was turned on or off. */
export function twoFactorMail({ to, username, turned, accountLink }: TwoFactorMailInput): Promise<Mail> {
  const what =
    turned === 'on'
      ? 'Two-factor authentication is now on for your account: signing in asks for a code from your authenticator app, or one of your recovery codes.'
      : 'Two-factor authentication is now off for your account: signing in asks for your password only.'
  return composeMail({
    to,
    subject: turned === 'on' ? 'Two-factor authentication is on' : 'Two-factor authentication is off',
    username,
    before: [what, 'If you did not make this change, change your password and check your account now:'],
    link: { href: accountLink, label: 'Your account' },
  })
}
