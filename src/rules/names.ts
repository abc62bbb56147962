/**
 * Usernames and emails: what they may hold, how they are normalised, and the key two of them
 * are compared by. The request schemas, the service and the migration that filled the keys of
 * existing rows all read them from here.
 */

/**
 * Characters no name may hold: every Unicode "Other" (Cc controls; Cf format characters, such as
 * zero-width spaces and joiners, bidi overrides, the BOM and tag characters; Cs unpaired
 * surrogates; Co private use; Cn unassigned), and the line and paragraph separators. Each is
 * invisible, renders differently from font to font, or (unassigned) may gain a case mapping
 * later and so change its key. NFKC never turns any other character into one of these, so the
 * rule reads the same before and after normalising. It refuses emoji joined with U+200D (ZWJ)
 * and names in scripts that need a ZWJ or ZWNJ; that is the price of one simple rule.
 * The `u` flag is needed for \p{...} (and makes an unpaired surrogate a Cs); the spec gets the
 * source alone, which JSON Schema reads with Unicode semantics.
 */
export const VISIBLE_TEXT = /^[^\p{C}\p{Zl}\p{Zp}]*$/u

export const INVISIBLE_MESSAGE = 'must not contain control, format, private-use or unassigned characters'

/**
 * The form a name is stored in: NFKC (composed, and compatibility forms such as full-width
 * letters, ligatures and styled letters replaced by their plain letters) and trimmed of white
 * space at both ends. Its casing is kept.
 */
export function normalizeName(text: string): string {
  return text.normalize('NFKC').trim()
}

/**
 * The key two names are compared by: the normalised name, case-folded. JavaScript has no full
 * case folding; lowercasing, uppercasing and lowercasing again comes close: the upper-casing
 * step folds ß and ẞ into "ss" (as full case folding does) and the lowercasing around it
 * gives Greek final and medial sigma one form. A final NFKC puts back compositions the case
 * mappings took apart. Checked over every assigned code point against Python's
 * str.casefold(): the same classes, except that dotless ı also folds to i here (stricter).
 */
export function nameKey(text: string): string {
  return normalizeName(text).toLowerCase().toUpperCase().toLowerCase().normalize('NFKC')
}
