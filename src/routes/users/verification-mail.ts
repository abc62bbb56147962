import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface VerificationMailInput {
  /** The address to verify: the link proves that this inbox is the account's. */
  to: string
  username: string
  link: string
  expireHours: number
}

/** The link that verifies an account's email address. */
export function verificationMail({ to, username, link, expireHours }: VerificationMailInput): Promise<Mail> {
  return composeMail({
    to,
    subject: 'Verify your email address',
    username,
    before: [`To confirm that this is the email address of your account, open this link within ${expireHours} hours:`],
    link: { href: link, label: 'Verify your email address' },
    after: ['The link works once, and only the newest one sent works. If you did not make an account, ignore this mail.'],
  })
}
