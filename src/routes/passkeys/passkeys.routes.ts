import { refreshCookieHeader } from '../../lib/refresh-cookie.js'
import { authenticated, defineRoute, errorResponse, jsonBody, jsonResponse, noStoreHeader } from '../../lib/route-helpers.js'
import { TokenSchema } from '../../lib/token-answer.js'
import {
  AddPasskeySchema,
  CreationOptionsSchema,
  PasskeyIdParams,
  PasskeyListSchema,
  PasskeyLoginSchema,
  PasskeySchema,
  RenamePasskeySchema,
  RequestOptionsSchema,
} from './passkeys.schemas.js'

const tags = ['passkeys']
const MINE = '/api/users/me/passkeys'
const LOGIN = '/api/users/passkey-login'
const CHALLENGE_RULE =
  'The challenge in the options is kept by the server for 5 minutes and works once: the first verification that presents it uses it up, ' +
  'whether or not it verifies. Any instance may answer the verification.'
const FAILED =
  'Passkey verification failed: the origin or the RP ID is not this site\'s (PUBLIC_URL), the challenge is wrong, used or expired, ' +
  'the signature or the data does not verify'
const tooMany = errorResponse('too_many_logins', 'Too many failed logins or passkey verifications from this address')

export const registrationOptions = authenticated({
  method: 'post',
  path: `${MINE}/options`,
  operationId: 'passkeyRegistrationOptions',
  tags,
  summary: 'Start adding a passkey: the options for the browser',
  description:
    'Creation options for navigator.credentials.create(): a discoverable credential (resident key) and user verification ' +
    `preferred, your passkeys excluded. ${CHALLENGE_RULE}`,
  responses: {
    200: { ...jsonResponse(CreationOptionsSchema, 'The creation options'), headers: noStoreHeader },
  },
})

export const addPasskey = authenticated({
  method: 'post',
  path: MINE,
  operationId: 'addPasskey',
  tags,
  summary: 'Add a passkey: verify what the browser made from the options',
  description:
    'Verifies the registration response against a challenge of your options, then keeps the credential (its id, public key, ' +
    'counter, transports, device type and backup state) under the name given. A notice is mailed. A response that does not ' +
    'verify counts as a failed login of the client address.',
  request: { body: jsonBody(AddPasskeySchema, 'A name and the registration response') },
  responses: {
    201: jsonResponse(PasskeySchema, 'Added'),
    400: errorResponse('passkey_verification_failed', `${FAILED}, or the credential is registered already`),
    429: tooMany,
  },
})

export const listPasskeys = authenticated({
  method: 'get',
  path: MINE,
  operationId: 'listPasskeys',
  tags,
  summary: 'Your passkeys, newest first',
  responses: {
    200: { ...jsonResponse(PasskeyListSchema, 'Your passkeys'), headers: noStoreHeader },
  },
})

export const renamePasskey = authenticated({
  method: 'patch',
  path: `${MINE}/{passkey_id}`,
  operationId: 'renamePasskey',
  tags,
  summary: 'Rename one of your passkeys',
  request: { params: PasskeyIdParams, body: jsonBody(RenamePasskeySchema, 'The new name') },
  responses: {
    200: jsonResponse(PasskeySchema, 'Renamed'),
    404: errorResponse('passkey_not_found', "Passkey not found (another user's too)"),
  },
})

export const removePasskey = authenticated({
  method: 'delete',
  path: `${MINE}/{passkey_id}`,
  operationId: 'removePasskey',
  tags,
  summary: 'Remove one of your passkeys: it no longer signs you in',
  description: "A notice is mailed. Another user's passkey, like one that does not exist, is a 404.",
  request: { params: PasskeyIdParams },
  responses: {
    204: { description: 'Removed' },
    404: errorResponse('passkey_not_found', "Passkey not found (another user's too)"),
  },
})

export const loginOptions = defineRoute({
  method: 'post',
  path: `${LOGIN}/options`,
  operationId: 'passkeyLoginOptions',
  tags,
  summary: 'Start signing in with a passkey: the options for the browser',
  description:
    `Request options for navigator.credentials.get() with a discoverable credential: no email needed. ${CHALLENGE_RULE} ` +
    'Each answer counts against the client address (PASSKEY_OPTIONS_MAX_PER_CLIENT in the login window): 429 past it.',
  responses: {
    200: { ...jsonResponse(RequestOptionsSchema, 'The request options'), headers: noStoreHeader },
    429: errorResponse('too_many_passkey_requests', 'Too many passkey sign-in options asked for from this address'),
  },
})

export const login = defineRoute({
  method: 'post',
  path: LOGIN,
  operationId: 'passkeyLogin',
  tags,
  summary: 'Sign in with a passkey: the same tokens and session as the password grant',
  description:
    'Verifies the authentication response against a challenge of the sign-in options and the passkey it names, then starts a ' +
    'session and answers as POST /api/users/token does (client_id=web: the refresh token in the HttpOnly cookie). No second ' +
    'factor is asked: the passkey is one. The signature counter must grow unless the authenticator keeps none (always 0); one ' +
    'that went backwards is refused and logged as a warning. A response that does not verify counts as a failed login of the ' +
    'client address.',
  request: { body: jsonBody(PasskeyLoginSchema, 'The authentication response') },
  responses: {
    200: { ...jsonResponse(TokenSchema, 'An access token and a refresh token'), headers: { ...noStoreHeader, ...refreshCookieHeader } },
    400: errorResponse('passkey_verification_failed', `${FAILED}, the passkey is unknown, or its counter went backwards`),
    429: tooMany,
  },
})
