/** A whole number as FastAPI reads an int from a path or query: plain digits, nothing else. */
export const DIGITS = /^[0-9]+$/

/**
 * The largest id: ids are 32-bit integer columns on PostgreSQL, and MikroORM writes values into
 * the SQL text, so a larger one must be refused before it reaches a query.
 */
export const MAX_ID = 2_147_483_647

/** The id a text spells (plain digits, 1 to MAX_ID), or undefined. Pages and tokens use it. */
export function parseId(text: string): number | undefined {
  const id = Number(text)
  return DIGITS.test(text) && id >= 1 && id <= MAX_ID ? id : undefined
}
