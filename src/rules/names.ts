/**
 * Usernames and emails: what they may hold, how they are normalised, and the key two of them
 * are compared by. The request schemas, the service and the migration that filled the keys of
 * existing rows all read them from here.
 */

/**
 * Characters no name may hold: every Unicode "Other" (Cc controls; Cf format characters, such as
 * zero-width spaces and joiners, bidi overrides, the BOM and tag characters; Cs unpaired
 * surrogates; Co private use; Cn unassigned), the line and paragraph separators, and the other
 * characters that show nothing: the default-ignorable code points (the Hangul fillers, which are
 * letters, variation selectors, the combining grapheme joiner, Khmer's inherent vowels,
 * Mongolian's free variation selectors...) and the braille blank U+2800. Each is invisible,
 * renders differently from font to font, or (unassigned) may gain a case mapping later and so
 * change its key. NFKC and case folding never turn any other character into one of these
 * (checked over every code point), so the rule reads the same before and after normalising. It
 * refuses emoji joined with U+200D (ZWJ) or styled with U+FE0F, and names in scripts that need
 * a ZWJ or ZWNJ; that is the price of one simple rule.
 * The `u` flag is needed for \p{...} (and makes an unpaired surrogate a Cs); the spec gets the
 * source alone, which JSON Schema reads with Unicode semantics. \p{DI} is the standard short
 * name of \p{Default_Ignorable_Code_Point}. (Spectral compiles patterns without the `u` flag,
 * reading \p{...} as its letters: the long name held the letters of the example, "corey".)
 */
export const VISIBLE_TEXT = /^[^\p{C}\p{Zl}\p{Zp}\p{DI}\u2800]*$/u

export const INVISIBLE_MESSAGE = 'must not contain control, format, private-use, unassigned or other invisible characters'

/**
 * A name must have something to read: a letter or a digit (\p{L}, \p{N}), in its normalised form
 * (NFKC makes `℡` letters, and a lone U+037A a space and a combining mark). Without it, a name
 * of marks, punctuation or symbols alone could pass for nothing, or for another name's part.
 */
export const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

export const NO_LETTER_MESSAGE = 'must contain a letter or a digit'

// Left out of keys, so that a name registered before they were refused is the same name without them.
const IGNORED_IN_KEYS = /[\p{DI}\u2800]/gu

/**
 * The form a name is stored in: NFKC (composed, and compatibility forms such as full-width
 * letters, ligatures and styled letters replaced by their plain letters) and trimmed of white
 * space at both ends. Its casing is kept.
 */
export function normalizeName(text: string): string {
  return text.normalize('NFKC').trim()
}

/** True for a username the rules above accept, as sent (its length aside). */
export function isAcceptedUsername(name: string): boolean {
  const normalised = normalizeName(name)
  return VISIBLE_TEXT.test(name) && normalised !== '' && HAS_LETTER_OR_DIGIT.test(normalised)
}

/**
 * The key two names are compared by: the name without default-ignorable characters and braille
 * blanks (so `alice` and `alice` + U+034F, registered before such names were refused, share a
 * key), normalised, case-folded. JavaScript has no full case folding; lowercasing, uppercasing
 * and lowercasing again comes close: the upper-casing step folds ß and ẞ into "ss" (as full
 * case folding does) and the lowercasing around it gives Greek final and medial sigma one form.
 * A final NFKC puts back compositions the case mappings took apart. Checked over every assigned
 * code point against Python's str.casefold(): the same classes, except that dotless ı also
 * folds to i here (stricter).
 */
export function nameKey(text: string): string {
  return normalizeName(text.replace(IGNORED_IN_KEYS, '')).toLowerCase().toUpperCase().toLowerCase().normalize('NFKC')
}
