import { randomUUID } from 'node:crypto'
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/server'
import { attempt } from '../../auth/attempt-limits.js'
import { CHALLENGE_LIFETIME_MS, storeChallenge } from '../../auth/webauthn-challenges.js'
import type { RelyingParty } from '../../config/index.js'
import { Passkey, type User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { ClientGuards, Mailing } from '../../lib/app-env.js'
import { passkeyMail } from './passkey-mails.js'
import { transportsOf, userHandle, verifyRegistration } from './webauthn.js'

type Guards = ClientGuards & Mailing & { passkeys: RelyingParty }
type Account = Pick<User, 'id' | 'email' | 'username'>

const notice = (guards: Mailing, user: Account, name: string, change: 'added' | 'removed') =>
  passkeyMail({ to: user.email, username: user.username, name, change, accountLink: `${guards.mail.publicUrl}/account` })

/**
 * The options of a new passkey for the user: a discoverable credential preferred (so it signs in
 * without an email typed), user verification preferred, the user's passkeys excluded (no
 * authenticator registers twice). Their challenge is kept for the verification.
 */
export async function registrationOptions(em: EntityManager, rp: RelyingParty, user: Account): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await em.find(Passkey, { user: user.id }, { fields: ['credentialId', 'transports'] })
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userID: userHandle(user.id),
    userName: user.email,
    userDisplayName: user.username,
    attestationType: 'none',
    timeout: CHALLENGE_LIFETIME_MS,
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: transportsOf(passkey) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  })
  await storeChallenge(em, options.challenge, { purpose: 'registration', userId: user.id })
  return options
}

/**
 * Adds the passkey a registration response holds, under `name`, once it verifies against one of
 * the user's registration challenges; a notice is mailed in the same transaction. A response that
 * does not verify (or whose credential is registered already) counts as a failed login of the
 * client address.
 */
export async function addPasskey(em: EntityManager, guards: Guards, user: Account, name: string, response: RegistrationResponseJSON): Promise<Passkey> {
  const reservation = await guards.limits.reservePasskeyVerification(guards.client)
  const added = await attempt(reservation, async () => {
    const credential = await verifyRegistration(em, guards.passkeys, user.id, response)
    const row = { id: randomUUID(), user: user.id, name, ...credential, createdAt: new Date(), lastUsedAt: null }
    const mail = await notice(guards, user, name, 'added')
    try {
      await em.transactional(async (tx) => {
        await tx.insert(Passkey, row)
        await guards.outbox.enqueue(tx, mail)
      })
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new AppError('passkey_verification_failed')
      throw error
    }
    return em.findOneOrFail(Passkey, row.id)
  })
  await reservation.succeeded()
  return added
}

/** The user's passkeys, newest first. */
export function listPasskeys(em: EntityManager, userId: number): Promise<Passkey[]> {
  return em.find(Passkey, { user: userId }, { orderBy: { createdAt: 'desc', id: 'asc' } })
}

/** Renames one of the user's passkeys; another user's, like one that does not exist, is 404. */
export async function renamePasskey(em: EntityManager, userId: number, id: string, name: string): Promise<Passkey> {
  if ((await em.nativeUpdate(Passkey, { id, user: userId }, { name })) === 0) throw new AppError('passkey_not_found')
  return em.findOneOrFail(Passkey, id, { failHandler: () => new AppError('passkey_not_found') })
}

/** Removes one of the user's passkeys, with a notice mailed in the same transaction. */
export async function removePasskey(em: EntityManager, guards: Mailing, user: Account, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const passkey = await tx.findOne(Passkey, { id, user: user.id }, { fields: ['name'] })
    if (!passkey || (await tx.nativeDelete(Passkey, { id, user: user.id })) === 0) throw new AppError('passkey_not_found')
    await guards.outbox.enqueue(tx, await notice(guards, user, passkey.name, 'removed'))
  })
}
