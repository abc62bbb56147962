import { UniqueConstraintViolationException } from '@mikro-orm/core'
import { attempt } from '../../auth/attempt-limits.js'
import { violatedConstraint } from '../../db/constraint.js'
import { User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { ApiError } from '../../http/api-error.js'
import { nameKey, normalizeName } from '../../rules/names.js'
import type { Caller } from '../app-env.js'
import { invalidInput } from '../../http/validation.js'
import { deleteOtherPictures } from '../pictures/pictures.service.js'

const USERNAME_TAKEN = 'Username already exists'
const EMAIL_TAKEN = 'Email already exists'

/** Which message a unique index's violation gives; the names are the entity's unique indexes. */
const TAKEN_BY_CONSTRAINT: Record<string, string> = {
  users_username_key_unique: USERNAME_TAKEN,
  users_email_key_unique: EMAIL_TAKEN,
}

/**
 * The account with this email, whatever its case or Unicode form: the lookup is by key (an
 * index seek), so it finds what the unique index would call the same email.
 */
export function findUserByEmail(em: EntityManager, email: string, options: { withPasswordHash?: boolean } = {}) {
  return em.findOne(User, { emailKey: nameKey(email) }, options.withPasswordHash ? { populate: ['passwordHash'] } : {})
}

// Ownership is checked before existence: another user's id is a 403 whether or not that account
// exists, so nobody learns which ids are taken.
export function assertSelf(targetId: number, caller: User, action: 'update' | 'delete'): void {
  if (targetId !== caller.id) throw new ApiError(403, `Not authorized to ${action} this user`)
}

/** Rejects a username or email that another account has, whatever its case or Unicode form. */
async function assertAvailable(
  em: EntityManager,
  { usernameKey, emailKey }: { usernameKey?: string; emailKey?: string },
  exceptUserId?: number,
): Promise<void> {
  const isOther = (user: User | null) => user !== null && user.id !== exceptUserId
  if (usernameKey !== undefined && isOther(await em.findOne(User, { usernameKey }))) {
    throw new ApiError(400, USERNAME_TAKEN)
  }
  if (emailKey !== undefined && isOther(await em.findOne(User, { emailKey }))) {
    throw new ApiError(400, EMAIL_TAKEN)
  }
}

// The fields a new username or email sets: the name as stored (emails lowercased) and its key.
function usernameFields(username: string) {
  const stored = normalizeName(username)
  return { username: stored, usernameKey: nameKey(stored) }
}

function emailFields(email: string) {
  const stored = normalizeName(email).toLowerCase()
  return { email: stored, emailKey: nameKey(stored) }
}

/**
 * Flushes user changes, and in the same transaction whatever `alsoInTransaction` does. The check
 * in code can race with another request; the database's unique indexes then decide, and the
 * loser gets the same 400 as if the check had caught it.
 */
async function flushUser(em: EntityManager, alsoInTransaction?: (tx: EntityManager) => Promise<unknown>): Promise<void> {
  try {
    if (!alsoInTransaction) await em.flush()
    else {
      await em.transactional(async (tx) => {
        await tx.flush()
        await alsoInTransaction(tx)
      })
    }
  } catch (error) {
    const taken =
      error instanceof UniqueConstraintViolationException && TAKEN_BY_CONSTRAINT[violatedConstraint(error, em.getMetadata()) ?? '']
    if (!taken) throw error
    em.clear()
    throw new ApiError(400, taken)
  }
}

export interface Registration {
  username: string
  email: string
  password: string
}

/**
 * A new account; its username and email are stored normalised, the email lowercased. Every
 * registration counts against the caller's limit.
 */
export async function registerUser(em: EntityManager, { client, limits, passwords }: Caller, input: Registration): Promise<User> {
  const reservation = await limits.reserveRegistration(client)
  return attempt(reservation, async () => {
    const names = { ...usernameFields(input.username), ...emailFields(input.email) }
    await assertAvailable(em, names)
    const user = em.create(User, { ...names, passwordHash: await passwords.hash(input.password, client) })
    await flushUser(em)
    return user
  })
}

export interface UserChanges {
  username?: string
  email?: string
  imageFile?: string | null
}

/**
 * Changes what was given. A picture is set by uploading it (src/routes/pictures/), so image_file
 * may only go back to null, which deletes the picture, or stay the name it is.
 */
export async function updateUser(em: EntityManager, user: User, changes: UserChanges): Promise<User> {
  if (changes.imageFile !== undefined && changes.imageFile !== null && changes.imageFile !== user.imageFile) {
    throw invalidInput(['body', 'image_file'], 'Image file must be null or the name of your current picture; upload a new one')
  }
  const names = {
    ...(changes.username !== undefined && usernameFields(changes.username)),
    ...(changes.email !== undefined && emailFields(changes.email)),
  }
  await assertAvailable(em, names, user.id)
  em.assign(user, {
    ...names,
    ...(changes.imageFile !== undefined && { imageFile: changes.imageFile }),
  })
  await flushUser(em, changes.imageFile === null ? (tx) => deleteOtherPictures(tx, user) : undefined)
  return user
}

/**
 * Deletes the account; in the same statement the database's cascade deletes its posts (whose
 * triggers take them off the total), pictures and reset tokens. The user's row is locked before
 * the posts', the order every write to posts keeps (see deletePost).
 */
export async function deleteUser(em: EntityManager, user: User): Promise<void> {
  await em.nativeDelete(User, { id: user.id })
}
