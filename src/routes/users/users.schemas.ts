import { z } from '@hono/zod-openapi'
import type { User } from '../../db/entities/index.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { STORABLE_TEXT_WITHOUT_CONTROLS, WELL_FORMED_TEXT } from '../../rules/text.js'
import { idParams } from '../integer-params.js'

const DEFAULT_IMAGE_PATH = '/static/profile_pics/default.jpg'

const Username = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.username.max)
  .regex(STORABLE_TEXT_WITHOUT_CONTROLS, 'Username must not contain control characters or unpaired surrogates')
  .openapi({ example: 'corey' })

const Email = z.email().max(FIELD_LIMITS.email.max).openapi({ example: 'corey@example.com' })

const UNPAIRED_SURROGATE = 'Password must not contain unpaired surrogates'

/** A password as typed at login: any length up to the maximum, never truncated. */
export const PasswordInput = z.string().min(1).max(FIELD_LIMITS.password.max).regex(WELL_FORMED_TEXT, UNPAIRED_SURROGATE)

/** A password being set: within the password's length rule. */
export const Password = z
  .string()
  .min(FIELD_LIMITS.password.min)
  .max(FIELD_LIMITS.password.max)
  .regex(WELL_FORMED_TEXT, UNPAIRED_SURROGATE)
  .openapi({ example: 'correct horse battery' })

// A plain file name: no separators, no `..`, so it can never point outside the media folder.
const ImageFile = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.imageFile.max)
  .regex(/^[A-Za-z0-9._-]+$/, 'Image file must be a plain file name (letters, digits, ".", "-", "_")')
  .refine((name) => !name.includes('..'), 'Image file must not contain ".."')
  .openapi({ example: 'a1b2c3.jpg' })

export const UserIdParams = idParams('user_id')

export const UserPublicSchema = z
  .object({
    id: z.int().openapi({ example: 1 }),
    username: z.string().openapi({ example: 'corey' }),
    image_file: z.string().nullable().openapi({ example: null }),
    image_path: z.string().openapi({ example: DEFAULT_IMAGE_PATH }),
  })
  .openapi('UserPublic')

export const UserPrivateSchema = UserPublicSchema.extend({
  email: z.string().openapi({ example: 'corey@example.com' }),
}).openapi('UserPrivate')

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
  })
  .openapi('UserUpdate', { example: { username: 'corey_s' } })

export type UserPublic = z.infer<typeof UserPublicSchema>
export type UserPrivate = z.infer<typeof UserPrivateSchema>

// Responses are built field by field, so nothing else on the entity (the hash) can leak.
export function toUserPublic(user: User): UserPublic {
  return {
    id: user.id,
    username: user.username,
    image_file: user.imageFile ?? null,
    image_path: user.imageFile ? `/media/profile_pics/${user.imageFile}` : DEFAULT_IMAGE_PATH,
  }
}

export function toUserPrivate(user: User): UserPrivate {
  return { ...toUserPublic(user), email: user.email }
}
