import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers'
import { CHALLENGE_MAX_LENGTH, consumeChallenge, type ChallengePurpose } from '../../auth/webauthn-challenges.js'
import type { RelyingParty } from '../../config/index.js'
import { Passkey } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'

const failed = () => new AppError('passkey_verification_failed')

/** The WebAuthn user handle of an account: its id, which the API shows anyway. */
export const userHandle = (userId: number): Uint8Array<ArrayBuffer> => new TextEncoder().encode(String(userId))

export const transportsOf = (passkey: Pick<Passkey, 'transports'>): string[] => (passkey.transports ? passkey.transports.split(',') : [])

/** The challenge the browser signed, as it says in clientDataJSON; undefined when that is not readable or not one of ours. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const { challenge } = decodeClientDataJSON(clientDataJSON)
    return typeof challenge === 'string' && challenge.length <= CHALLENGE_MAX_LENGTH ? challenge : undefined
  } catch {
    return undefined
  }
}

/**
 * Uses up the challenge a response names, which must be live and of this purpose (and user):
 * before anything else is checked, so a challenge is tried once, whatever the outcome.
 */
async function claimChallenge(em: EntityManager, clientDataJSON: string, purpose: ChallengePurpose, userId: number | null): Promise<string> {
  const challenge = challengeOf(clientDataJSON)
  if (challenge === undefined || !(await consumeChallenge(em, challenge, { purpose, userId }))) throw failed()
  return challenge
}

export interface RegisteredCredential {
  credentialId: string
  publicKey: string
  counter: number
  transports: string
  deviceType: string
  backedUp: boolean
}

/** Checks a registration response (attestation `none` or any other) against a challenge of this user's. */
export async function verifyRegistration(
  em: EntityManager,
  rp: RelyingParty,
  userId: number,
  response: RegistrationResponseJSON,
): Promise<RegisteredCredential> {
  const challenge = await claimChallenge(em, response.response.clientDataJSON, 'registration', userId)
  // Malformed data of any kind throws: it is the client's, so it is a failed verification.
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpId,
    requireUserVerification: false,
  }).catch(() => undefined)
  if (!result?.verified) throw failed()
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo
  return {
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: (credential.transports ?? []).join(','),
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
  }
}

export interface VerifiedAssertion {
  counter: number
  deviceType: string
  backedUp: boolean
}

/**
 * Checks a sign-in response against a sign-in challenge and the passkey it names. The signature
 * counter is checked here rather than by the library, so that a counter that went backwards is
 * told apart: `onCounterBackwards` hears of it (it suggests a cloned authenticator).
 */
export async function verifyAssertion(
  em: EntityManager,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  onCounterBackwards: (passkey: Passkey, presented: number) => void,
): Promise<{ passkey: Passkey; assertion: VerifiedAssertion }> {
  const challenge = await claimChallenge(em, response.response.clientDataJSON, 'authentication', null)
  const passkey = await em.findOne(Passkey, { credentialId: response.id })
  if (!passkey) throw failed()
  const { userHandle: handle } = response.response
  if (handle !== undefined && handle !== isoBase64URL.fromBuffer(userHandle(passkey.user.id))) throw failed()
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpId,
    // 0: the library leaves the counter to the check below.
    credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: 0, transports: transportsOf(passkey) },
    requireUserVerification: false,
  }).catch(() => undefined)
  if (!result?.verified) throw failed()
  const { newCounter, credentialDeviceType, credentialBackedUp } = result.authenticationInfo
  // An authenticator that keeps a counter moves it on with every signature; one that keeps none says 0 each time.
  if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
    onCounterBackwards(passkey, newCounter)
    throw failed()
  }
  return { passkey, assertion: { counter: newCounter, deviceType: credentialDeviceType, backedUp: credentialBackedUp } }
}
