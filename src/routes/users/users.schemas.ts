import { z } from '@hono/zod-openapi'
import { Email, linkToken, Password, PasswordInput, Username } from '../../lib/users.js'
import { FIELD_LIMITS } from '../../rules/fields.js'

// A plain file name: no separators, no `..`, so it can never point outside the media folder.
const ImageFile = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.imageFile.max)
  .regex(/^[A-Za-z0-9._-]+$/, 'Image file must be a plain file name (letters, digits, ".", "-", "_")')
  .refine((name) => !name.includes('..'), 'Image file must not contain ".."')
  .openapi({ example: 'a1b2c3.jpg' })

export const UserCreateSchema = z
  .object({ username: Username, email: Email, password: Password })
  .openapi('UserCreate', {
    example: { username: 'corey', email: 'corey@example.com', password: 'correct horse battery' },
  })

export const UserUpdateSchema = z
  .object({
    username: Username.optional(),
    email: Email.optional(),
    image_file: ImageFile.nullable().optional().openapi({
      description:
        'null for the default picture (yours is deleted), or the name of your current picture; ' +
        'a new picture is set by uploading it (PUT /api/users/{user_id}/picture)',
    }),
    current_password: PasswordInput.optional().openapi({
      description:
        'Your password: needed when `email` changes the address (a wrong one counts as a wrong password ' +
        'does on PATCH /api/users/me/password); not needed, and not checked, for any other change',
      example: 'correct horse battery',
    }),
  })
  .openapi('UserUpdate', { example: { username: 'corey_s' } })

const VERIFY_TOKEN_EXAMPLE = 'Zt7bQ1nV4xK9mR2wLc8pF5sA3dJ6hE0gU1oI7kY2qT9'

export const VerifyEmailSchema = z
  .object({
    token: linkToken('verification', VERIFY_TOKEN_EXAMPLE),
  })
  .openapi('VerifyEmail', { example: { token: VERIFY_TOKEN_EXAMPLE } })

export const VERIFICATION_SENT = 'A verification link is on its way'

export const VerificationSentSchema = z
  .object({ detail: z.string() })
  .openapi('VerificationSent', { example: { detail: VERIFICATION_SENT } })
