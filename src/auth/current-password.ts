import { User } from '../db/entities/index.js'
import type { EntityManager } from '../db/orm.js'
import { AppError } from '../http/errors.js'
import { attempt, type AttemptLimits } from './attempt-limits.js'
import type { PasswordHasher } from './passwords.js'

export interface PasswordGuards {
  client: string
  limits: AttemptLimits
  passwords: PasswordHasher
}

/**
 * Checks a signed-in user's password again before a change that needs it (a new password, a new
 * email). A wrong one counts against the account's limit and, with failed logins, the client
 * address's, taken before any hashing; it is hashed in the client's turn of the queue. Answers
 * the hash it verified, so the change can be written over that hash only.
 */
export async function verifyCurrentPassword(em: EntityManager, guards: PasswordGuards, userId: number, password: string): Promise<string> {
  const { client, limits, passwords } = guards
  const reservation = await limits.reservePasswordChange(userId, client)
  const verifiedHash = await attempt(reservation, async () => {
    const user = await em.findOne(User, userId, { populate: ['passwordHash'], refresh: true })
    if (!user) throw new AppError('account_gone')
    return (await passwords.verify(user.passwordHash, password, client)) ? user.passwordHash : null
  })
  if (verifiedHash === null) throw new AppError('incorrect_password')
  await reservation.succeeded()
  return verifiedHash
}
