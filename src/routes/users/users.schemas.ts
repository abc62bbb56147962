import { z } from '@hono/zod-openapi'
import type { User } from '../../db/entities/index.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { HAS_LETTER_OR_DIGIT, INVISIBLE_MESSAGE, NO_LETTER_MESSAGE, normalizeName, VISIBLE_TEXT } from '../../rules/names.js'
import { WELL_FORMED_TEXT } from '../../rules/text.js'
import { idParams } from '../integer-params.js'

const DEFAULT_IMAGE_PATH = '/static/profile_pics/default.jpg'

// A username as src/rules/names.ts defines it. Handlers get it normalised (NFKC, trimmed). The
// spec shows the rules on what is sent; the ones on the normalised name (not only spaces, a
// letter or a digit, still within the length) are in the description.
const Username = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.username.max)
  .regex(VISIBLE_TEXT, `Username ${INVISIBLE_MESSAGE}`)
  .transform(normalizeName)
  // Trimming may leave nothing, and NFKC may lengthen a name (a ligature becomes its letters).
  .pipe(
    z
      .string()
      .min(1, { message: 'Username must not be only spaces', abort: true })
      .max(FIELD_LIMITS.username.max)
      .regex(HAS_LETTER_OR_DIGIT, `Username ${NO_LETTER_MESSAGE}`),
  )
  .openapi({
    // The generator writes a regex's flags into the pattern ("...$/u"); the source alone is
    // what JSON Schema means, as it reads patterns with Unicode semantics.
    pattern: VISIBLE_TEXT.source,
    description: `Stored NFKC-normalised and trimmed, casing kept; once normalised it must hold a letter or a digit and be at most ${FIELD_LIMITS.username.max} characters. Compared case-insensitively.`,
    example: 'corey',
  })

// Normalised like a username before it is checked, so a full-width address is its plain one.
export const Email = z
  .string()
  .max(FIELD_LIMITS.email.max)
  .transform(normalizeName)
  .pipe(z.email().max(FIELD_LIMITS.email.max))
  .openapi({
    format: 'email',
    description: 'NFKC-normalised and trimmed before it is checked; stored lowercased. Compared case-insensitively.',
    example: 'corey@example.com',
  })

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

/** What a public profile shows: a User entity, or a row read for a page. */
export type UserPublicSource = Pick<User, 'id' | 'username' | 'imageFile'>

// Responses are built field by field, so nothing else on the entity (the hash) can leak.
export function toUserPublic(user: UserPublicSource): UserPublic {
  return {
    id: user.id,
    username: user.username,
    image_file: user.imageFile ?? null,
    image_path: user.imageFile ? `/media/profile_pics/${user.imageFile}` : DEFAULT_IMAGE_PATH,
  }
}

export function toUserPrivate(user: UserPublicSource & Pick<User, 'email'>): UserPrivate {
  return { ...toUserPublic(user), email: user.email }
}
