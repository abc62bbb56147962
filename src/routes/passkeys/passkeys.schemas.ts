import { z } from '@hono/zod-openapi'
import type { Passkey } from '../../db/entities/index.js'
import { WEB_CLIENT_ID } from '../../lib/refresh-cookie.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { NOT_STORABLE_MESSAGE, STORABLE_TEXT } from '../../rules/text.js'

const PASSKEY_ID_EXAMPLE = '7d1f0a52-3c4b-4e8a-9b6d-2f5e8c1a0b3d'
const NAME_EXAMPLE = 'My laptop'

// The sizes WebAuthn gives each part room for, with a margin: a credential id is at most 1023
// bytes, a user handle 64; the rest are small, since no attestation is asked for.
const base64url = (max: number, description: string) =>
  z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'must be base64url').openapi({ description })
const CredentialId = base64url(1364, 'The credential id, base64url')
const ClientData = base64url(8192, 'clientDataJSON, base64url')
const Transports = z.array(z.string().max(16)).max(8).openapi({ description: 'How the authenticator is reached: internal, hybrid, usb, nfc, ble...' })
const ClientExtensionResults = z.record(z.string(), z.unknown()).openapi({ description: 'The extensions\' outputs, as the browser gives them' })
// COSE algorithm identifiers are registered in this range (IANA).
const COSE_ALGORITHM_MIN = -65536
const COSE_ALGORITHM_MAX = 65535
const Attachment = z.enum(['platform', 'cross-platform']).optional()

export const PasskeyIdParams = z.object({
  passkey_id: z.uuid().max(36).openapi({ param: { name: 'passkey_id', in: 'path' }, example: PASSKEY_ID_EXAMPLE }),
})

const PasskeyName = z
  .string()
  .trim()
  .min(1)
  .max(FIELD_LIMITS.passkeyName.max)
  .regex(STORABLE_TEXT, `Name ${NOT_STORABLE_MESSAGE}`)
  .openapi({ description: 'A name to tell it by, such as the device it is on', example: NAME_EXAMPLE })

export const PasskeySchema = z
  .object({
    id: z.uuid().openapi({ example: PASSKEY_ID_EXAMPLE }),
    name: z.string().openapi({ example: NAME_EXAMPLE }),
    created_at: z.iso.datetime().openapi({ example: '2026-12-01T09:00:00.000Z' }),
    last_used_at: z.iso.datetime().nullable().openapi({ description: 'Its last sign-in; null before the first', example: '2026-12-07T08:15:00.000Z' }),
    backed_up: z.boolean().openapi({ description: 'Whether it is synced to other devices (a password manager, a platform account): losing this device does not lose it' }),
  })
  .openapi('Passkey')

export const PasskeyListSchema = z.array(PasskeySchema).openapi('PasskeyList')

export function toPasskeyResponse(passkey: Passkey): z.infer<typeof PasskeySchema> {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
    backed_up: passkey.backedUp,
  }
}

const CredentialDescriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() })
const Extensions = z.record(z.string(), z.unknown())

export const CreationOptionsSchema = z
  .object({
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(CredentialDescriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.string().optional(),
        residentKey: z.string().optional(),
        requireResidentKey: z.boolean().optional(),
        userVerification: z.string().optional(),
      })
      .optional(),
    hints: z.array(z.string()).optional(),
    attestation: z.string().optional(),
    extensions: Extensions.optional(),
  })
  .openapi('PasskeyCreationOptions', {
    description: "PublicKeyCredentialCreationOptionsJSON: give it to the browser's navigator.credentials.create() (or @simplewebauthn/browser's startRegistration)",
  })

export const RequestOptionsSchema = z
  .object({
    challenge: z.string(),
    timeout: z.number().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(CredentialDescriptor).optional(),
    userVerification: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: Extensions.optional(),
  })
  .openapi('PasskeyRequestOptions', {
    description: "PublicKeyCredentialRequestOptionsJSON: give it to navigator.credentials.get() (or @simplewebauthn/browser's startAuthentication)",
  })

const RegistrationResponse = z
  .object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: ClientData,
      attestationObject: base64url(16384, 'attestationObject, base64url'),
      authenticatorData: base64url(16384, 'authenticatorData, base64url').optional(),
      transports: Transports.optional(),
      publicKeyAlgorithm: z
        .int()
        .min(COSE_ALGORITHM_MIN)
        .max(COSE_ALGORITHM_MAX)
        .optional()
        .openapi({ type: 'integer', format: 'int32', minimum: COSE_ALGORITHM_MIN, maximum: COSE_ALGORITHM_MAX, description: 'The COSE algorithm of the key, such as -7 (ES256)' }),
      publicKey: base64url(4096, 'The public key (SPKI), base64url').optional(),
    }),
    authenticatorAttachment: Attachment,
    clientExtensionResults: ClientExtensionResults,
  })
  .openapi('PasskeyRegistrationResponse', { description: 'RegistrationResponseJSON: what navigator.credentials.create() made, as JSON' })

const AuthenticationResponse = z
  .object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: ClientData,
      authenticatorData: base64url(16384, 'authenticatorData, base64url'),
      signature: base64url(1024, 'The signature, base64url'),
      userHandle: base64url(128, 'The user handle, base64url').optional(),
    }),
    authenticatorAttachment: Attachment,
    clientExtensionResults: ClientExtensionResults,
  })
  .openapi('PasskeyAuthenticationResponse', { description: 'AuthenticationResponseJSON: what navigator.credentials.get() made, as JSON' })

const RESPONSE_EXAMPLE = {
  id: 'pNHBY3R1bdGc1XjfbS8cGg',
  rawId: 'pNHBY3R1bdGc1XjfbS8cGg',
  type: 'public-key',
  clientExtensionResults: {},
}

export const AddPasskeySchema = z
  .object({ name: PasskeyName, response: RegistrationResponse })
  .openapi('AddPasskey', {
    example: {
      name: NAME_EXAMPLE,
      response: { ...RESPONSE_EXAMPLE, response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0', attestationObject: 'o2NmbXRkbm9uZQ', transports: ['internal'] } },
    },
  })

export const RenamePasskeySchema = z.object({ name: PasskeyName }).openapi('RenamePasskey', { example: { name: NAME_EXAMPLE } })

export const PasskeyLoginSchema = z
  .object({
    response: AuthenticationResponse,
    client_id: z
      .string()
      .max(1024)
      .optional()
      .openapi({ description: `\`${WEB_CLIENT_ID}\`: the refresh token goes in an HttpOnly cookie instead of the body, as on the token route` }),
  })
  .openapi('PasskeyLogin', {
    example: {
      response: { ...RESPONSE_EXAMPLE, response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0', authenticatorData: 'SZYN5YgO', signature: 'MEUCIQ' } },
    },
  })
