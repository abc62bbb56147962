import type { AttemptLimits } from '../auth/attempt-limits.js'
import type { PasswordGuards } from '../auth/current-password.js'
import type { CurrentUserVariables } from '../auth/current-user.js'
import type { PasswordHasher } from '../auth/passwords.js'
import type { TwoFactorKeys } from '../auth/second-factor.js'
import type { MailSettings, RelyingParty, SessionSettings } from '../config/index.js'
import type { Log } from '../http/logger.js'
import type { Outbox } from '../mail/outbox.js'
import type { FairQueue } from './fair-queue.js'

/** What every request handler can reach through `c.var`. */
export interface AppVariables extends CurrentUserVariables {
  limits: AttemptLimits
  passwords: PasswordHasher
  requestId: string
  /** PICTURE_MAX_BYTES */
  pictureMaxBytes: number
  /** Where uploads take turns to be made into pictures (src/routes/pictures/pictures.queue.ts). */
  pictureQueue: FairQueue
  /** Sends mails after the response. */
  outbox: Outbox
  mail: MailSettings
  /** Session lifetimes and the refresh-token cookie's Secure flag. */
  sessions: SessionSettings
  /** What seals TOTP secrets and hashes recovery codes (keys derived from SECRET_KEY). */
  twoFactor: TwoFactorKeys
  /** REQUIRE_VERIFIED_EMAIL: post writes and picture uploads need a verified email. */
  requireVerifiedEmail: boolean
  /** Whom passkeys belong to and where they are used from: PUBLIC_URL's host name and origin. */
  passkeys: RelyingParty
  /** For what a service must report besides its answer (a passkey whose counter went backwards). */
  log: Log
}

/** What guards the services that check passwords: the client's address, its limits and the hasher. */
export type ClientGuards = PasswordGuards

/** What the services that write mails need: the outbox and the mail settings. */
export type Mailing = Pick<AppVariables, 'outbox' | 'mail'>

export interface AppEnv {
  Variables: AppVariables
}
