import { generateAuthenticationOptions, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import { attempt } from '../../auth/attempt-limits.js'
import { startSession, type IssuedSession } from '../../auth/sessions.js'
import { CHALLENGE_LIFETIME_MS, storeChallenge } from '../../auth/webauthn-challenges.js'
import type { RelyingParty, SessionSettings } from '../../config/index.js'
import { Passkey } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'
import type { Log } from '../../http/logger.js'
import type { ClientGuards } from '../../lib/app-env.js'
import { verifyAssertion } from './webauthn.js'

type Guards = ClientGuards & { sessions: SessionSettings; passkeys: RelyingParty; log: Log }

/**
 * The options of a sign-in with a discoverable passkey: no account named, so no credentials
 * listed. Each counts against the client address, as each stores a challenge.
 */
export async function loginOptions(em: EntityManager, guards: Pick<Guards, 'limits' | 'client' | 'passkeys'>): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await guards.limits.reservePasskeyOptions(guards.client)
  const options = await generateAuthenticationOptions({ rpID: guards.passkeys.rpId, userVerification: 'preferred', timeout: CHALLENGE_LIFETIME_MS })
  await storeChallenge(em, options.challenge, { purpose: 'authentication', userId: null })
  return options
}

/**
 * Starts a session for the account whose passkey signed a sign-in challenge: the same session a
 * password starts, and no second factor asked (the passkey is one). A response that does not
 * verify counts as a failed login of the client address. The counter is moved on only from the
 * value that was checked, so of two responses racing with one authenticator's counter, one wins.
 */
export async function loginWithPasskey(em: EntityManager, guards: Guards, response: AuthenticationResponseJSON, userAgent?: string): Promise<IssuedSession> {
  const reservation = await guards.limits.reservePasskeyVerification(guards.client)
  const userId = await attempt(reservation, async () => {
    const { passkey, assertion } = await verifyAssertion(em, guards.passkeys, response, (cloned, presented) =>
      guards.log.warn(
        { passkey_id: cloned.id, user_id: cloned.user.id, stored_counter: cloned.counter, presented_counter: presented },
        'Passkey counter went backwards: the authenticator may have been cloned; sign-in refused',
      ),
    )
    const used = await em.nativeUpdate(
      Passkey,
      { id: passkey.id, counter: passkey.counter },
      { counter: assertion.counter, deviceType: assertion.deviceType, backedUp: assertion.backedUp, lastUsedAt: new Date() },
    )
    if (used === 0) throw new AppError('passkey_verification_failed')
    return passkey.user.id
  })
  await reservation.succeeded()
  return startSession(em, guards.sessions, userId, { address: guards.client, userAgent })
}
