import { z } from '@hono/zod-openapi'

function idSchema(name: string) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name, in: 'path' }, format: 'int64', maximum: Number.MAX_SAFE_INTEGER, example: 1 })
}

/** Path parameters holding one id, a positive integer, under the given name. */
export function idParams<N extends string>(name: N) {
  return z.object({ [name]: idSchema(name) } as { [K in N]: ReturnType<typeof idSchema> })
}
