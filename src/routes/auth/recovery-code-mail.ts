import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface RecoveryCodeMailInput {
  to: string
  username: string
  remaining: number
  accountLink: string
}

/** The notice that a recovery code was used to sign in, with how many are left. */
export function recoveryCodeUsedMail({ to, username, remaining, accountLink }: RecoveryCodeMailInput): Promise<Mail> {
  const left = remaining === 1 ? '1 recovery code is left' : `${remaining} recovery codes are left`
  return composeMail({
    to,
    subject: 'A recovery code was used to sign in',
    username,
    before: [
      `Someone signed in to your account with one of your recovery codes; it no longer works, and ${left}.`,
      'If it was you, consider making a new set of codes on your account page. If it was not, change your password there now and make new codes:',
    ],
    link: { href: accountLink, label: 'Your account' },
  })
}
