import { UniqueConstraintViolationException } from '@mikro-orm/core'
import { attempt, type Reservation } from '../../auth/attempt-limits.js'
import { verifyCurrentPassword } from '../../auth/current-password.js'
import { violatedConstraint } from '../../db/constraint.js'
import { PasswordResetToken, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { deleteOtherPictures } from '../../db/pictures.js'
import { AppError, type ErrorCode } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import type { StoredName } from '../../lib/users.js'
import { emailChangedMail } from './email-change-mail.js'
import { queueVerificationLink } from './email-verification.service.js'

/** Which refusal a unique index's violation gives; the names are the entity's unique indexes. */
const TAKEN_BY_CONSTRAINT: Record<string, ErrorCode> = {
  users_username_key_unique: 'username_taken',
  users_email_key_unique: 'email_taken',
}

// The columns a new username or email sets: the name as stored and its key.
const usernameColumns = (name: StoredName) => ({ username: name.stored, usernameKey: name.key })
const emailColumns = (name: StoredName) => ({ email: name.stored, emailKey: name.key })

type NameColumns = Partial<ReturnType<typeof usernameColumns> & ReturnType<typeof emailColumns>>

/** Rejects a username or email that another account has, whatever its case or Unicode form. */
async function assertAvailable(em: EntityManager, { usernameKey, emailKey }: NameColumns, exceptUserId?: number): Promise<void> {
  const isOther = (user: User | null) => user !== null && user.id !== exceptUserId
  if (usernameKey !== undefined && isOther(await em.findOne(User, { usernameKey }))) throw new AppError('username_taken')
  if (emailKey !== undefined && isOther(await em.findOne(User, { emailKey }))) throw new AppError('email_taken')
}

/**
 * Flushes user changes, and in the same transaction whatever `alsoInTransaction` does. The check
 * in code can race with another request; the database's unique indexes then decide, and the
 * loser gets the same refusal as if the check had caught it.
 */
async function flushUser(
  em: EntityManager,
  alsoInTransaction?: (tx: EntityManager) => Promise<unknown>,
  created?: User,
): Promise<void> {
  try {
    if (!alsoInTransaction) await em.flush()
    else {
      await em.transactional(async (tx) => {
        // A new user is persisted in the transaction's own manager, which then gives it its id.
        if (created) tx.persist(created)
        await tx.flush()
        await alsoInTransaction(tx)
      })
    }
  } catch (error) {
    const taken =
      error instanceof UniqueConstraintViolationException && TAKEN_BY_CONSTRAINT[violatedConstraint(error, em.getMetadata()) ?? '']
    if (!taken) throw error
    em.clear()
    throw new AppError(taken)
  }
}

export interface Registration {
  username: StoredName
  email: StoredName
  password: string
}

/**
 * A new account, unverified, and in the same transaction the mail with its verification link.
 * Every registration counts against the client's limit.
 */
export async function createUser(em: EntityManager, guards: ClientGuards & Mailing, input: Registration): Promise<User> {
  const { client, limits, passwords } = guards
  const reservation = await limits.reserveRegistration(client)
  return attempt(reservation, async () => {
    const names = { ...usernameColumns(input.username), ...emailColumns(input.email) }
    await assertAvailable(em, names)
    const user = em.create(User, { ...names, passwordHash: await passwords.hash(input.password, client) }, { persist: false })
    await flushUser(em, (tx) => queueVerificationLink(tx, guards, user), user)
    return user
  })
}

export interface UserChanges {
  username?: StoredName
  email?: StoredName
  imageFile?: string | null
  /** The account's password, which a new email needs. */
  currentPassword?: string
}

/**
 * Takes a new email's place in the email-change limits (per account and per client address),
 * before any hashing, then checks the password. An email refused as taken keeps its place, as
 * it told the asker what a probe would; a wrong password gives it back, as no email was tried
 * (it counts with the wrong passwords instead).
 */
async function reserveEmailChange(em: EntityManager, guards: ClientGuards, userId: number, password?: string): Promise<Reservation> {
  if (password === undefined) throw new AppError('current_password_required')
  const reservation = await guards.limits.reserveEmailChange(userId, guards.client)
  try {
    await verifyCurrentPassword(em, guards, userId, password)
  } catch (error) {
    await reservation.cancel().catch(() => {})
    throw error
  }
  return reservation
}

/**
 * Changes what was given. A picture is set by uploading it (src/routes/pictures/), so image_file
 * may only go back to null, which deletes the picture, or stay the name it is. A new email needs
 * the password, so a stolen access token alone cannot move the account (and its password
 * resets) to another address; new emails tried are limited, so the answers (taken or not) are no
 * oracle for which addresses have accounts. In the change's own transaction: the account becomes
 * unverified, every reset and verification link still outstanding ends, the notice to the old
 * address and a verification link to the new one are written to the outbox.
 */
export async function updateUser(em: EntityManager, guards: ClientGuards & Mailing, user: User, changes: UserChanges): Promise<User> {
  if (changes.imageFile !== undefined && changes.imageFile !== null && changes.imageFile !== user.imageFile) {
    throw new AppError('image_file_not_current')
  }
  const newEmail = changes.email && changes.email.stored !== user.email ? changes.email : undefined
  const emailChange = newEmail && (await reserveEmailChange(em, guards, user.id, changes.currentPassword))
  const notice =
    newEmail &&
    (await emailChangedMail({
      to: user.email,
      username: changes.username?.stored ?? user.username,
      forgotPasswordLink: `${guards.mail.publicUrl}/forgot-password`,
    }))
  const change = async () => {
    const names: NameColumns = {
      ...(changes.username && usernameColumns(changes.username)),
      ...(newEmail && emailColumns(newEmail)),
    }
    const verification = newEmail && { emailVerified: false }
    await assertAvailable(em, names, user.id)
    em.assign(user, {
      ...names,
      ...verification,
      ...(changes.imageFile !== undefined && { imageFile: changes.imageFile }),
    })
    const alsoInTransaction =
      changes.imageFile === null || notice
        ? async (tx: EntityManager) => {
            if (changes.imageFile === null) await deleteOtherPictures(tx, user.id)
            if (notice) {
              // A reset link mailed to the old address must not outlive the move to the new one.
              await tx.nativeUpdate(PasswordResetToken, { user: user.id, usedAt: null }, { usedAt: new Date() })
              await guards.outbox.enqueue(tx, notice)
              // Ends the old address's pending links, then mails one to the new address.
              await queueVerificationLink(tx, guards, user)
            }
          }
        : undefined
    await flushUser(em, alsoInTransaction)
  }
  // A refusal (the email is taken) keeps the email change's place; a failure of ours gives it back.
  await (emailChange ? attempt(emailChange, change) : change())
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
