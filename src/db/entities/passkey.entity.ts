import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { User } from './user.entity.js'

/**
 * A WebAuthn credential a user registered: it signs them in without a password. `credentialId`
 * and `publicKey` are the authenticator's (base64url); `counter` is its signature counter, which
 * must grow with each use unless it stays at 0 (authenticators that keep none, as synced passkeys).
 * `id` is ours, random, and names it in the API's paths.
 */
export const Passkey = defineEntity({
  name: 'Passkey',
  tableName: 'passkeys',
  properties: (p) => ({
    id: p.string().length(36).primary(),
    user: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    name: p.string().length(FIELD_LIMITS.passkeyName.max),
    // WebAuthn caps a credential id at 1023 bytes: 1364 characters of base64url.
    credentialId: p.string().length(1364),
    publicKey: p.text(),
    // An unsigned 32-bit number: past a PostgreSQL integer's range.
    counter: p.bigint('number'),
    // The transports the browser reported (usb, nfc, ble, internal, hybrid...), comma-separated.
    transports: p.string().length(255),
    // singleDevice or multiDevice (a passkey synced between devices).
    deviceType: p.string().length(16),
    backedUp: p.boolean(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
  }),
  uniques: [{ name: 'passkeys_credential_id_unique', properties: ['credentialId'] }],
  indexes: [{ name: 'passkeys_user_id_index', properties: ['user'] }],
})

export type Passkey = InferEntity<typeof Passkey>
