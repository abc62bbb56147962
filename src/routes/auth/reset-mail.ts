import { composeMail } from '../../mail/compose.js'
import type { Mail } from '../../mail/transport.js'

export interface ResetMailInput {
  to: string
  username: string
  link: string
  expireMinutes: number
}

export function resetMail({ to, username, link, expireMinutes }: ResetMailInput): Promise<Mail> {
  return composeMail({
    to,
    subject: 'Reset your password',
    username,
    before: [
      `Someone asked to reset the password of your account. To choose a new password, open this link within ${expireMinutes} minutes:`,
    ],
    link: { href: link, label: 'Reset your password' },
    after: ['The link works once. If you did not ask for it, ignore this mail: your password stays as it is.'],
  })
}
