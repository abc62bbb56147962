/**
 * The length rules of every text field, in characters. The entities, the request schemas and
 * the pages' form attributes all read them from here.
 */
export const FIELD_LIMITS = {
  username: { max: 50 },
  email: { max: 120 },
  password: { min: 8, max: 128 },
  title: { max: 100 },
  content: { max: 10_000 },
  imageFile: { max: 200 },
  passkeyName: { max: 64 },
} as const
