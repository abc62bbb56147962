import { authenticated, errorResponse, hashingBusy, jsonBody, jsonResponse, noStoreHeader } from '../../lib/route-helpers.js'
import { ConfirmSchema, EnrolmentRequestSchema, EnrolmentSchema, PasswordAndCodeSchema, RecoveryCodesSchema } from './two-factor.schemas.js'

const tags = ['two-factor']
const PATH = '/api/users/me/two-factor'
const CODE_COUNTING =
  'Wrong codes count per account (TWO_FACTOR_MAX_FAILURES_PER_USER) and, with failed logins, per client address; past either, 429 with Retry-After.'
const PASSWORD_AND_CODE =
  'Needs your current password (wrong ones count as on PATCH /api/users/me/password) and a code: the ' +
  'authenticator app\'s 6 digits or a recovery code, which is then used up. ' + CODE_COUNTING
const tooMany = errorResponse('too_many_codes', 'Too many wrong passwords or codes, for this account or from this address')

export const startTwoFactor = authenticated({
  method: 'post',
  path: PATH,
  operationId: 'startTwoFactor',
  tags,
  summary: 'Start turning on two-factor authentication: a new TOTP secret, pending until confirmed',
  description:
    'Needs your current password (wrong ones count as on PATCH /api/users/me/password). Answers a new ' +
    '160-bit secret as text, as an otpauth:// URI and as a QR code (SVG) for an authenticator app; ' +
    'nothing changes at sign-in until POST /api/users/me/two-factor/confirm. Starting again replaces a ' +
    'pending secret. The secret is stored encrypted and never shown again.',
  request: { body: jsonBody(EnrolmentRequestSchema, 'Your current password') },
  responses: {
    200: { ...jsonResponse(EnrolmentSchema, 'The new secret, pending'), headers: noStoreHeader },
    400: errorResponse('incorrect_password'),
    409: errorResponse('two_factor_already_enabled', 'Two-factor authentication is already on: turn it off first'),
    429: errorResponse('too_many_password_changes', 'Too many wrong passwords for this account or from this address'),
    503: hashingBusy,
  },
})

export const confirmTwoFactor = authenticated({
  method: 'post',
  path: `${PATH}/confirm`,
  operationId: 'confirmTwoFactor',
  tags,
  summary: 'Turn on two-factor authentication with a code from the new secret; answers the recovery codes',
  description:
    'A current code of the pending secret turns two factors on: sign-in then asks for a code after the ' +
    'password. Answers ten one-time recovery codes, shown only now, stored hashed. A notice is mailed. ' +
    CODE_COUNTING,
  request: { body: jsonBody(ConfirmSchema, 'A code of the authenticator app') },
  responses: {
    200: { ...jsonResponse(RecoveryCodesSchema, 'Two factors are on; the recovery codes'), headers: noStoreHeader },
    400: errorResponse('invalid_code', 'Invalid code; or no enrolment to confirm (start one first)'),
    409: errorResponse('two_factor_already_enabled'),
    429: errorResponse('too_many_codes', 'Too many wrong codes for this account or from this address'),
  },
})

export const disableTwoFactor = authenticated({
  method: 'delete',
  path: PATH,
  operationId: 'disableTwoFactor',
  tags,
  summary: 'Turn off two-factor authentication',
  description: `${PASSWORD_AND_CODE} The secret and the recovery codes are deleted, and a notice is mailed.`,
  request: { body: jsonBody(PasswordAndCodeSchema, 'Your current password and a code') },
  responses: {
    204: { description: 'Two factors are off' },
    400: errorResponse('invalid_code', 'Invalid code, Incorrect password, or two-factor authentication is not enabled'),
    429: tooMany,
    503: hashingBusy,
  },
})

export const regenerateRecoveryCodes = authenticated({
  method: 'post',
  path: `${PATH}/recovery-codes`,
  operationId: 'regenerateRecoveryCodes',
  tags,
  summary: 'Make a new set of recovery codes; the old ones stop working',
  description: PASSWORD_AND_CODE,
  request: { body: jsonBody(PasswordAndCodeSchema, 'Your current password and a code') },
  responses: {
    200: { ...jsonResponse(RecoveryCodesSchema, 'The new recovery codes'), headers: noStoreHeader },
    400: errorResponse('invalid_code', 'Invalid code, Incorrect password, or two-factor authentication is not enabled'),
    429: tooMany,
    503: hashingBusy,
  },
})
