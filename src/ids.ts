const DIGITS_WITHOUT_LEADING_ZERO = /^[1-9][0-9]*$/

/** The id a text spells (a positive safe integer in plain digits), or undefined. */
export function parseId(text: string): number | undefined {
  const id = Number(text)
  return DIGITS_WITHOUT_LEADING_ZERO.test(text) && Number.isSafeInteger(id) ? id : undefined
}
