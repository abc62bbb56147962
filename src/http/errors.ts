import type { ContentfulStatusCode } from 'hono/utils/http-status'

export interface ErrorEntry {
  status: ContentfulStatusCode
  detail: string
  /** A 401 that names the scheme to authenticate with: `WWW-Authenticate: Bearer`. */
  challenge?: true
  /** A refusal the client may retry later: answered with Retry-After. */
  retryLater?: true
  /** When to retry, where the error itself does not say. */
  retryAfterSeconds?: number
  /** A value the schema let through but the service refused: a 422 naming the field. */
  field?: readonly string[]
}

/**
 * Every way a request can fail, by code: the one table that says what status and message each
 * code gets. Domain code throws an AppError with a code, the route definitions declare their
 * responses by code (src/lib/route-helpers.ts), and the error handler answers by code, so a
 * message is written once and a status only here.
 */
export const ERRORS = {
  not_authenticated: { status: 401, detail: 'Not authenticated', challenge: true },
  invalid_token: { status: 401, detail: 'Invalid or expired token', challenge: true },
  account_gone: { status: 401, detail: 'User not found', challenge: true },
  incorrect_login: { status: 401, detail: 'Incorrect email or password', challenge: true },
  invalid_refresh_token: { status: 401, detail: 'Invalid or expired refresh token', challenge: true },
  second_factor_required: { status: 401, detail: 'Second factor required', challenge: true },
  invalid_mfa_token: { status: 401, detail: 'Invalid or expired MFA token', challenge: true },
  incorrect_code: { status: 401, detail: 'Invalid code', challenge: true },

  user_not_found: { status: 404, detail: 'User not found' },
  post_not_found: { status: 404, detail: 'Post not found' },
  picture_not_found: { status: 404, detail: 'Picture not found' },
  session_not_found: { status: 404, detail: 'Session not found' },
  passkey_not_found: { status: 404, detail: 'Passkey not found' },
  not_found: { status: 404, detail: 'Not Found' },

  not_self_to_update: { status: 403, detail: 'Not authorized to update this user' },
  not_self_to_delete: { status: 403, detail: 'Not authorized to delete this user' },
  not_author_to_update: { status: 403, detail: 'Not authorized to update this post' },
  not_author_to_delete: { status: 403, detail: 'Not authorized to delete this post' },
  email_not_verified: { status: 403, detail: 'Email not verified' },

  username_taken: { status: 400, detail: 'Username already exists' },
  email_taken: { status: 400, detail: 'Email already exists' },
  incorrect_password: { status: 400, detail: 'Incorrect password' },
  same_password: { status: 400, detail: 'New password must be different from the current password' },
  invalid_reset_token: { status: 400, detail: 'Invalid or expired reset token' },
  invalid_verification_token: { status: 400, detail: 'Invalid or expired verification token' },
  invalid_code: { status: 400, detail: 'Invalid code' },
  two_factor_not_pending: { status: 400, detail: 'No two-factor enrolment to confirm: start one first' },
  two_factor_not_enabled: { status: 400, detail: 'Two-factor authentication is not enabled' },
  passkey_verification_failed: { status: 400, detail: 'Passkey verification failed' },
  not_an_image: { status: 400, detail: 'File is not a JPEG, PNG or WebP image' },
  malformed_json: { status: 400, detail: 'Malformed JSON in request body' },
  malformed_multipart: { status: 400, detail: 'Malformed multipart/form-data in request body' },
  request_aborted: { status: 400, detail: 'Request aborted' },
  current_password_required: {
    status: 422,
    detail: 'Current password is needed to change the email',
    field: ['body', 'current_password'],
  },
  image_file_not_current: {
    status: 422,
    detail: 'Image file must be null or the name of your current picture; upload a new one',
    field: ['body', 'image_file'],
  },

  body_too_large: { status: 413, detail: 'Request body too large' },
  picture_too_large: { status: 413, detail: 'Picture too large' },
  email_already_verified: { status: 409, detail: 'Email already verified' },
  two_factor_already_enabled: { status: 409, detail: 'Two-factor authentication is already enabled' },

  unsupported_media_type: { status: 415, detail: 'Unsupported Media Type' },

  too_many_logins: { status: 429, detail: 'Too many login attempts, try again later', retryLater: true },
  too_many_password_changes: { status: 429, detail: 'Too many wrong passwords, try again later', retryLater: true },
  too_many_registrations: { status: 429, detail: 'Too many registrations from this address, try again later', retryLater: true },
  too_many_reset_requests: { status: 429, detail: 'Too many password reset requests, try again later', retryLater: true },
  too_many_reset_attempts: { status: 429, detail: 'Too many password reset attempts, try again later', retryLater: true },
  too_many_email_changes: { status: 429, detail: 'Too many email changes, try again later', retryLater: true },
  too_many_verification_emails: { status: 429, detail: 'Too many verification emails, try again later', retryLater: true },
  too_many_verification_attempts: { status: 429, detail: 'Too many email verification attempts, try again later', retryLater: true },
  too_many_codes: { status: 429, detail: 'Too many wrong codes, try again later', retryLater: true },
  too_many_passkey_requests: { status: 429, detail: 'Too many passkey sign-in requests, try again later', retryLater: true },

  internal: { status: 500, detail: 'Internal Server Error' },
  hashing_busy: { status: 503, detail: 'Too many password checks in progress, try again shortly', retryLater: true, retryAfterSeconds: 1 },
  pictures_busy: { status: 503, detail: 'Too many picture uploads in progress, try again shortly', retryLater: true, retryAfterSeconds: 1 },
  // About the time the database connection needs to time out and be tried again.
  service_unavailable: { status: 503, detail: 'Service Unavailable', retryLater: true, retryAfterSeconds: 5 },
} as const satisfies Record<string, ErrorEntry>

export type ErrorCode = keyof typeof ERRORS

/**
 * A request refused for a reason its code names. `detail` replaces the table's message where it
 * depends on settings (a size limit); `retryAfterSeconds` says when a refusal that passes;
 * `extra` holds fields the body carries besides `detail` (the `mfa_token` of a sign-in that
 * needs its second step), which the route declares in its response schema.
 */
export class AppError extends Error {
  override name = 'AppError'

  constructor(
    readonly code: ErrorCode,
    readonly options: { detail?: string; retryAfterSeconds?: number; extra?: Record<string, string> } = {},
  ) {
    super(options.detail ?? ERRORS[code].detail)
  }
}
