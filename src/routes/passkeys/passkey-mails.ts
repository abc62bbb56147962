import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface PasskeyMailInput {
  to: string
  username: string
  /** The passkey's name, as its owner gave it. */
  name: string
  change: 'added' | 'removed'
  accountLink: string
}

/** The notice to the account's address that a passkey was added to it or removed from it. */
export function passkeyMail({ to, username, name, change, accountLink }: PasskeyMailInput): Promise<Mail> {
  const what =
    change === 'added'
      ? `A passkey named "${name}" was added to your account: it can now sign you in without your password.`
      : `The passkey named "${name}" was removed from your account: it no longer signs you in.`
  return composeMail({
    to,
    subject: change === 'added' ? 'A passkey was added to your account' : 'A passkey was removed from your account',
    username,
    before: [what, 'If you did not make this change, change your password and check your account now:'],
    link: { href: accountLink, label: 'Your account' },
  })
}
