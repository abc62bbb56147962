import { raw, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite'
import { User } from '../../db/entities/index.js'
import { ApiError } from '../../http/errors.js'

const USERNAME_TAKEN = 'Username already exists'
const EMAIL_TAKEN = 'Email already exists'

// Both match the lower(...) unique indexes, so these lookups are index seeks.
function byLowerUsername(username: string) {
  return { [raw((alias) => `lower(${alias}.username)`)]: username.toLowerCase() }
}

function byLowerEmail(email: string) {
  return { [raw((alias) => `lower(${alias}.email)`)]: email.toLowerCase() }
}

export function findUserByEmail(em: EntityManager, email: string, options: { withPasswordHash?: boolean } = {}) {
  return em.findOne(User, byLowerEmail(email), options.withPasswordHash ? { populate: ['passwordHash'] } : {})
}

/** Rejects a username or email that another account has, whatever its case. */
export async function assertAvailable(
  em: EntityManager,
  { username, email }: { username?: string; email?: string },
  exceptUserId?: number,
): Promise<void> {
  const isOther = (user: User | null) => user !== null && user.id !== exceptUserId
  if (username !== undefined && isOther(await em.findOne(User, byLowerUsername(username)))) {
    throw new ApiError(400, USERNAME_TAKEN)
  }
  if (email !== undefined && isOther(await em.findOne(User, byLowerEmail(email)))) {
    throw new ApiError(400, EMAIL_TAKEN)
  }
}

/**
 * Flushes user changes. The check in code can race with another request; the database's unique
 * indexes then decide, and the loser gets the same 400 as if the check had caught it.
 */
export async function flushUser(em: EntityManager): Promise<void> {
  try {
    await em.flush()
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      em.clear()
      throw new ApiError(400, error.message.includes('users_email') ? EMAIL_TAKEN : USERNAME_TAKEN)
    }
    throw error
  }
}

export async function findUserOr404(em: EntityManager, id: number): Promise<User> {
  const user = await em.findOne(User, id)
  if (!user) throw new ApiError(404, 'User not found')
  return user
}
