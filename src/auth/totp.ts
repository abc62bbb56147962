import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'

/**
 * TOTP as authenticator apps speak it (RFC 6238: SHA-1, 6 digits, 30 s steps), with `otpauth`
 * computing the codes and `qrcode` drawing the enrolment URI.
 */
const ISSUER = 'Blog'
const PERIOD_SECONDS = 30
// A code of the step before or after the current one is accepted too: a phone's clock may be
// that far off, and a code typed at the end of its step arrives in the next.
const DRIFT_STEPS = 1

const totpOf = (secret: string, label = '') =>
  new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secret) })

/** A new 160-bit secret, in base32 as apps take it typed in. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32
}

export interface TotpEnrolment {
  secret: string
  /** The `otpauth://` URI that apps read from the QR code. */
  uri: string
  /** The URI as a QR code, an SVG image. */
  qrSvg: string
}

export async function totpEnrolment(secret: string, accountEmail: string): Promise<TotpEnrolment> {
  const uri = totpOf(secret, accountEmail).toString()
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 2 }) }
}

/** The time step of the code when it is right for now, give or take DRIFT_STEPS; otherwise null. */
export function totpStepOf(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s/g, '')
  if (!/^[0-9]{6}$/.test(token)) return null
  const delta = totpOf(secret).validate({ token, timestamp: now, window: DRIFT_STEPS })
  return delta === null ? null : OTPAuth.TOTP.counter({ period: PERIOD_SECONDS, timestamp: now }) + delta
}
