import { z } from '@hono/zod-openapi'
import { DIGITS, MAX_ID } from '../rules/ids.js'

interface IntegerParam {
  name: string
  in: 'path' | 'query'
  minimum: number
  maximum: number
  default?: number
}

/**
 * A whole number in a path or query string, by the same rule as every id (src/rules/ids.ts):
 * `0x10`, `1e1`, ` 1`, `1.0` and an empty value are a 422, not a number JavaScript guessed.
 */
function integerParam({ name, in: location, minimum, maximum, default: fallback }: IntegerParam) {
  const digits = z.string().regex(DIGITS, 'Input should be a valid integer')
  const value = z.int().min(minimum).max(maximum)
  const schema = fallback === undefined ? digits : digits.default(String(fallback))
  return schema.transform(Number).pipe(value).openapi({
    param: { name, in: location },
    type: 'integer',
    format: maximum <= MAX_ID ? 'int32' : 'int64',
    minimum,
    maximum,
    ...(fallback !== undefined && { default: fallback }),
    example: fallback ?? minimum,
  })
}

/** Path parameters holding one id under the given name. */
export function idParams<N extends string>(name: N) {
  const id = integerParam({ name, in: 'path', minimum: 1, maximum: MAX_ID })
  return z.object({ [name]: id } as { [K in N]: typeof id })
}

/** `?skip&limit`: skip >= 0 (default 0), limit 1 to 100 (default 10). */
export const PaginationQuery = z.object({
  skip: integerParam({ name: 'skip', in: 'query', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
  limit: integerParam({ name: 'limit', in: 'query', minimum: 1, maximum: 100, default: 10 }),
})

export type Pagination = z.infer<typeof PaginationQuery>
