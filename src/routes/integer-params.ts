import { z } from '@hono/zod-openapi'

interface IntegerParam {
  name: string
  in: 'path' | 'query'
  minimum: number
  maximum?: number
  default?: number
}

/**
 * A whole number in a path or query string, read as FastAPI reads an int: digits only, so
 * `0x10`, `1e1`, ` 1`, `1.0` and an empty value are a 422, not a number that JavaScript guessed.
 */
function integerParam({ name, in: location, minimum, maximum = Number.MAX_SAFE_INTEGER, default: fallback }: IntegerParam) {
  const digits = z.string().regex(/^[0-9]+$/, 'Input should be a valid integer')
  const value = z.int().min(minimum).max(maximum)
  const schema = fallback === undefined ? digits : digits.default(String(fallback))
  return schema.transform(Number).pipe(value).openapi({
    param: { name, in: location },
    type: 'integer',
    format: 'int64',
    minimum,
    maximum,
    ...(fallback !== undefined && { default: fallback }),
    example: fallback ?? minimum,
  })
}

/** Path parameters holding one id, a positive integer, under the given name. */
export function idParams<N extends string>(name: N) {
  const id = integerParam({ name, in: 'path', minimum: 1 })
  return z.object({ [name]: id } as { [K in N]: typeof id })
}

/** `?skip&limit`: skip >= 0 (default 0), limit 1 to 100 (default 10). */
export const PaginationQuery = z.object({
  skip: integerParam({ name: 'skip', in: 'query', minimum: 0, default: 0 }),
  limit: integerParam({ name: 'limit', in: 'query', minimum: 1, maximum: 100, default: 10 }),
})

export type Pagination = z.infer<typeof PaginationQuery>
