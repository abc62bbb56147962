/**
 * Text that the database stores and gives back unchanged. MikroORM writes values into the SQL
 * text, and SQLite reads a statement only up to its first NUL, so a NUL would break the query;
 * an unpaired UTF-16 surrogate has no UTF-8 form and would come back as U+FFFD. No `u` flag:
 * the spec generator drops flags, and this pattern means the same with or without one.
 */
export const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/

export const NOT_STORABLE_MESSAGE = 'must not contain NUL characters or unpaired surrogates'

/**
 * Text with no unpaired surrogate. Argon2 hashes the UTF-8 form, in which every unpaired
 * surrogate becomes U+FFFD, so two different passwords would otherwise match each other.
 */
export const WELL_FORMED_TEXT = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/
