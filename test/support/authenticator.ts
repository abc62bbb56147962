import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'
import type { components } from '../../client/index.js'

type CBORType = Parameters<typeof isoCBOR.encode>[0]
type Schemas = components['schemas']

// A software authenticator for the API tests: a real ES256 key pair per credential, attestation
// "none", and every byte laid out as WebAuthn says (authenticator data, COSE key, client data),
// so the server verifies its responses as it would a browser's. Each part can be made wrong.

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 }

interface Credential {
  id: Uint8Array
  privateKey: KeyObject
  publicKey: KeyObject
  userHandle: string
  counter: number
}

/** What a test may make differ from what a faithful browser and authenticator would send. */
export interface Tampering {
  origin?: string
  rpId?: string
  challenge?: string
  /** The signature counter to report (by default the last one plus one). */
  counter?: number
  /** Sign other bytes than the ones sent. */
  badSignature?: boolean
  /** Present another credential id than the one that signed. */
  credentialId?: string
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest())
const uint32 = (n: number) => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, n)
  return bytes
}
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts))
const b64 = (bytes: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(bytes))

/** The P-256 public key as a COSE_Key: kty EC2, alg ES256, crv P-256, x, y. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' })
  return isoCBOR.encode(
    new Map<number, CBORType>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x!)],
      [-3, isoBase64URL.toBuffer(jwk.y!)],
    ]),
  )
}

export class SoftAuthenticator {
  readonly #credentials = new Map<string, Credential>()

  /** `origin` is the page's; the RP ID is the options' (or the origin's host). */
  constructor(readonly origin: string) {}

  #clientData(type: string, challenge: string, tampering: Tampering): string {
    return JSON.stringify({ type, challenge: tampering.challenge ?? challenge, origin: tampering.origin ?? this.origin, crossOrigin: false })
  }

  #rpIdHash(rpId: string | undefined, tampering: Tampering) {
    return sha256(tampering.rpId ?? rpId ?? new URL(this.origin).hostname)
  }

  /** navigator.credentials.create(): a new discoverable credential for the options' user. */
  create(options: Schemas['PasskeyCreationOptions'], tampering: Tampering = {}): Schemas['PasskeyRegistrationResponse'] {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const id = new Uint8Array(randomBytes(16))
    this.#credentials.set(b64(id), { id, privateKey, publicKey, userHandle: options.user.id, counter: 0 })
    const credentialIdLength = new Uint8Array([id.length >> 8, id.length & 0xff])
    const attested = concat(new Uint8Array(16), credentialIdLength, id, coseKey(publicKey))
    const flags = FLAG.UP | FLAG.UV | FLAG.BE | FLAG.BS | FLAG.AT
    const authData = concat(this.#rpIdHash(options.rp.id, tampering), new Uint8Array([flags]), uint32(0), attested)
    const attestationObject = isoCBOR.encode(new Map<string, CBORType>([['fmt', 'none'], ['attStmt', new Map<string, CBORType>()], ['authData', authData]]))
    const clientDataJSON = this.#clientData('webauthn.create', options.challenge, tampering)
    return {
      id: b64(id),
      rawId: b64(id),
      type: 'public-key',
      response: {
        clientDataJSON: isoBase64URL.fromUTF8String(clientDataJSON),
        attestationObject: b64(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    }
  }

  /** navigator.credentials.get() with the credential `credentialId` (by default the last one made). */
  get(options: Schemas['PasskeyRequestOptions'], credentialId = [...this.#credentials.keys()].at(-1)!, tampering: Tampering = {}): Schemas['PasskeyAuthenticationResponse'] {
    const credential = this.#credentials.get(credentialId)
    if (!credential) throw new Error(`no credential ${credentialId}`)
    credential.counter = tampering.counter ?? credential.counter + 1
    const flags = FLAG.UP | FLAG.UV | FLAG.BE | FLAG.BS
    const authData = concat(this.#rpIdHash(options.rpId, tampering), new Uint8Array([flags]), uint32(credential.counter))
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, tampering)
    const signed = concat(authData, sha256(tampering.badSignature ? `${clientDataJSON} ` : clientDataJSON))
    const signature = new Uint8Array(sign('sha256', signed, credential.privateKey))
    const id = tampering.credentialId ?? credentialId
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: isoBase64URL.fromUTF8String(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    }
  }
}
