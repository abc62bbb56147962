import {
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser'
import type { components } from '../client/index.js'

type Schemas = components['schemas']

export { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill } from '@simplewebauthn/browser'

// The API's options are WebAuthn's JSON forms, typed more loosely by the spec (plain strings
// where WebAuthn lists values); the browser and the API each check what the other sends.

/** Asks the browser to make a passkey for the creation options of POST /api/users/me/passkeys/options. */
export async function createPasskey(options: Schemas['PasskeyCreationOptions']): Promise<Schemas['PasskeyRegistrationResponse']> {
  const response = await startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON })
  return { ...response, clientExtensionResults: { ...response.clientExtensionResults } }
}

/** Asks the browser to sign the request options with a passkey: at once, or when one is picked from the email field's autofill. */
export async function usePasskey(options: Schemas['PasskeyRequestOptions'], autofill = false): Promise<Schemas['PasskeyAuthenticationResponse']> {
  const response = await startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill: autofill })
  return { ...response, clientExtensionResults: { ...response.clientExtensionResults } }
}

/** What went wrong in the browser or on the authenticator, in words. */
export function passkeyFailure(error: unknown): string {
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return 'This device already holds a passkey for your account.'
  }
  const name = error instanceof Error ? error.name : ''
  switch (name) {
    case 'NotAllowedError':
      return 'The passkey request was cancelled or timed out, or the passkey is not allowed here.'
    case 'AbortError':
      return 'The passkey request was cancelled.'
    case 'InvalidStateError':
      return 'This device already holds a passkey for your account.'
    case 'SecurityError':
      return 'Passkeys do not work at this address: open the site at its public address.'
    case 'NotSupportedError':
      return 'This browser or device does not support passkeys.'
    default:
      return 'The passkey could not be used. Please try again.'
  }
}
