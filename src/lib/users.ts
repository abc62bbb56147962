import { z } from '@hono/zod-openapi'
import type { User } from '../db/entities/index.js'
import { AppError } from '../http/errors.js'
import { FIELD_LIMITS } from '../rules/fields.js'
import { HAS_LETTER_OR_DIGIT, INVISIBLE_MESSAGE, nameKey, NO_LETTER_MESSAGE, normalizeName, VISIBLE_TEXT } from '../rules/names.js'
import { WELL_FORMED_TEXT } from '../rules/text.js'
import { idParams } from './integer-params.js'

// What several features need of a user: the fields every account form shares, the profile
// responses and the self check. It imports no feature.

const DEFAULT_IMAGE_PATH = '/static/profile_pics/default.jpg'

/** A name as it is stored, and the key it is compared by (src/rules/names.ts). */
export interface StoredName {
  stored: string
  key: string
}

const withKey = (stored: string): StoredName => ({ stored, key: nameKey(stored) })

// A username as src/rules/names.ts defines it, normalised here and nowhere else (NFKC, trimmed,
// then keyed). The spec shows the rules on what is sent; the ones on the normalised name (not
// only spaces, a letter or a digit, still within the length) are in the description.
export const Username = z
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
  .transform(withKey)
  .openapi({
    // The generator writes a regex's flags into the pattern ("...$/u"); the source alone is
    // what JSON Schema means, as it reads patterns with Unicode semantics.
    pattern: VISIBLE_TEXT.source,
    description: `Stored NFKC-normalised and trimmed, casing kept; once normalised it must hold a letter or a digit and be at most ${FIELD_LIMITS.username.max} characters. Compared case-insensitively.`,
    example: 'corey',
  })

// Normalised like a username before it is checked, so a full-width address is its plain one;
// stored lowercased.
export const Email = z
  .string()
  .max(FIELD_LIMITS.email.max)
  .transform(normalizeName)
  .pipe(z.email().max(FIELD_LIMITS.email.max))
  .transform((email) => withKey(email.toLowerCase()))
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

/**
 * The token of a mailed link (reset, verification), as sent back: any string up to a bound, so
 * one that is not a token is refused like any other wrong token, not as invalid input.
 */
export function linkToken(link: string, example: string) {
  return z.string().min(1).max(256).openapi({ description: `The token from the ${link} link`, example })
}

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
  email_verified: z.boolean().openapi({
    description: 'Whether the email was proven by the link mailed to it; a new email starts unverified',
    example: false,
  }),
  two_factor_enabled: z.boolean().openapi({
    description: 'Whether signing in asks for a second factor (an authenticator app code or a recovery code)',
    example: false,
  }),
}).openapi('UserPrivate')

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

export function toUserPrivate(user: UserPublicSource & Pick<User, 'email' | 'emailVerified' | 'twoFactorEnabled'>): UserPrivate {
  return { ...toUserPublic(user), email: user.email, email_verified: user.emailVerified, two_factor_enabled: user.twoFactorEnabled }
}

// Ownership is checked before existence: another user's id is a 403 whether or not that account
// exists, so nobody learns which ids are taken.
export function assertSelf(targetId: number, user: User, action: 'update' | 'delete'): void {
  if (targetId !== user.id) throw new AppError(action === 'update' ? 'not_self_to_update' : 'not_self_to_delete')
}
