import { z } from '@hono/zod-openapi'
import { PasswordInput } from '../../lib/users.js'

const CODE_MAX = 64
const PASSWORD_EXAMPLE = 'correct horse battery'

const Code = (description: string, example: string) => z.string().min(1).max(CODE_MAX).openapi({ description, example })

export const EnrolmentRequestSchema = z
  .object({ password: PasswordInput.openapi({ description: 'Your current password', example: PASSWORD_EXAMPLE }) })
  .openapi('TwoFactorEnrolmentRequest', { example: { password: PASSWORD_EXAMPLE } })

const SECRET_EXAMPLE = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export const EnrolmentSchema = z
  .object({
    secret: z.string().openapi({ description: 'The TOTP secret in base32, to type into an app that cannot scan', example: SECRET_EXAMPLE }),
    otpauth_uri: z.string().openapi({
      description: 'The otpauth:// URI the QR code holds',
      example: `otpauth://totp/Blog:corey%40example.com?issuer=Blog&secret=${SECRET_EXAMPLE}&algorithm=SHA1&digits=6&period=30`,
    }),
    qr_svg: z.string().openapi({ description: 'The URI as a QR code: an SVG image', example: '<svg xmlns="http://www.w3.org/2000/svg" ...</svg>' }),
  })
  .openapi('TwoFactorEnrolment')

export const ConfirmSchema = z
  .object({ code: Code('The current 6-digit code of the authenticator app', '123456') })
  .openapi('TwoFactorConfirm', { example: { code: '123456' } })

export const PasswordAndCodeSchema = z
  .object({
    password: PasswordInput.openapi({ description: 'Your current password', example: PASSWORD_EXAMPLE }),
    code: Code('A 6-digit code of the authenticator app, or one of your recovery codes', '123456'),
  })
  .openapi('TwoFactorPasswordAndCode', { example: { password: PASSWORD_EXAMPLE, code: '123456' } })

export const RecoveryCodesSchema = z
  .object({
    recovery_codes: z.array(z.string()).openapi({
      description: 'Ten one-time codes, shown only now: keep them somewhere safe',
      example: ['K7Q2M-X9HRT', 'P3WZD-4NB8C'],
    }),
  })
  .openapi('RecoveryCodes')
