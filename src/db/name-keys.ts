import type { Migration } from '@mikro-orm/migrations'
import { isAcceptedUsername, nameKey } from '../rules/names.js'

export interface NamedUser {
  id: number
  username: string
  email: string
}

export interface KeyedUser {
  id: number
  usernameKey: string
  emailKey: string
}

/** A migration's rules for names: how it keys them, and which usernames it reports as refused. */
export interface NameRules {
  key: (text: string) => string
  refuses: (username: string) => boolean
  /** Why, in its report: "a username the new rules refuse (<refusal>), kept as it is". */
  refusal: string
}

/**
 * The rules of the migration that added the keys (Migration20261202024507), frozen as they
 * stood, so that migration keys and reports the same whatever the rules become: the NFKC form,
 * trimmed and case-folded; refused for \p{C}, line and paragraph separators, or only spaces.
 */
export const KEYS_ADDED_RULES: NameRules = {
  key: (text) => text.normalize('NFKC').trim().toLowerCase().toUpperCase().toLowerCase().normalize('NFKC'),
  refuses: (username) => !/^[^\p{C}\p{Zl}\p{Zp}]*$/u.test(username) || username.trim() === '',
  refusal: 'invisible characters, or only spaces',
}

/** Today's rules (src/rules/names.ts): keys without default-ignorable characters, and a letter or a digit required. */
export const CURRENT_RULES: NameRules = {
  key: nameKey,
  refuses: (username) => !isAcceptedUsername(username),
  refusal: 'invisible characters, or no letter or digit',
}

const idList = (...ids: number[]) => `user${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`

interface Keying {
  keys: KeyedUser[]
  /** Rows that share a plain key: the lowest id keeps it. */
  shared: { field: 'username' | 'email'; owner: number; others: number[] }[]
  refused: number[]
}

function keyUsers(users: readonly NamedUser[], rules: NameRules): Keying {
  const byId = [...users].sort((a, b) => a.id - b.id)
  const shared: Keying['shared'] = []
  const distinct = (field: 'username' | 'email') => {
    const plain = byId.map((user) => rules.key(user[field]))
    const taken = new Set(plain)
    const owners = new Map<string, number>()
    const sharing = new Map<number, number[]>()
    const keys = byId.map((user, i) => {
      const key = plain[i]!
      const owner = owners.get(key)
      if (owner === undefined) {
        owners.set(key, user.id)
        return key
      }
      sharing.set(owner, [...(sharing.get(owner) ?? []), user.id])
      let own = `${key}#${user.id}`
      while (taken.has(own)) own += '#'
      taken.add(own)
      return own
    })
    for (const [owner, others] of sharing) shared.push({ field, owner, others })
    return keys
  }
  const usernameKeys = distinct('username')
  const emailKeys = distinct('email')
  return {
    keys: byId.map((user, i) => ({ id: user.id, usernameKey: usernameKeys[i]!, emailKey: emailKeys[i]! })),
    shared,
    refused: byId.filter((user) => rules.refuses(user.username)).map((user) => user.id),
  }
}

const sharedReport = ({ field, owner, others }: Keying['shared'][number]) =>
  `${field} key shared by ${idList(owner, ...others)}: user ${owner} keeps it, ${idList(...others)} ` +
  `${others.length > 1 ? 'get' : 'gets'} "<key>#<id>" until a new ${field} is chosen`

const refusedReport = (ids: number[], rules: NameRules) =>
  `${idList(...ids)}: a username the new rules refuse (${rules.refusal}), kept as it is`

/**
 * The keys of users who registered before there were keys. Rows registered under the old rules
 * may now share a key (`Ärger` and `ärger` on SQLite, or one name composed and decomposed): the
 * lowest id keeps the key, and each other row gets `<key>#<id>`, which no other row has, so the
 * unique index can be built and no migration fails. Such a row keeps its name, and its key
 * becomes a plain one when its owner picks a free name. (Emails were already stored lowercased,
 * ASCII and unique in lower case, so only rows written outside the API can share an email key;
 * the login finds the lowest id's account by it.) Every collision, and every username the new
 * rules would refuse, is reported by id, never by value: an email is private.
 */
export function keyExistingUsers(users: readonly NamedUser[], rules: NameRules): { keys: KeyedUser[]; reports: string[] } {
  const { keys, shared, refused } = keyUsers(users, rules)
  const reports = shared.map(sharedReport)
  if (refused.length > 0) reports.push(refusedReport(refused, rules))
  return { keys, reports }
}

/**
 * The keys of existing rows again, under today's rules, for rows keyed by `previous`: the rows
 * whose key changes, and reports of what is new, in the words keyExistingUsers uses. A collision
 * is reported when a row whose key changed is in it (those the earlier keys already told apart
 * were reported then), and a username when today's rules refuse it and `previous` did not.
 */
export function rekeyExistingUsers(
  users: readonly (NamedUser & KeyedUser)[],
  previous: NameRules,
): { changed: KeyedUser[]; reports: string[] } {
  const { keys, shared, refused } = keyUsers(users, CURRENT_RULES)
  const stored = new Map(users.map((user) => [user.id, user]))
  const changed = keys.filter(({ id, usernameKey, emailKey }) => {
    const row = stored.get(id)!
    return row.usernameKey !== usernameKey || row.emailKey !== emailKey
  })
  const changedIds = new Set(changed.map((row) => row.id))
  const reports = shared.filter((group) => [group.owner, ...group.others].some((id) => changedIds.has(id))).map(sharedReport)
  const newlyRefused = refused.filter((id) => !previous.refuses(stored.get(id)!.username))
  if (newlyRefused.length > 0) reports.push(refusedReport(newlyRefused, CURRENT_RULES))
  return { changed, reports }
}

// Reports go to the database log (initORM's `log`) as warnings; a migration never fails on one.
function warn(migration: Migration, reports: readonly string[]): void {
  const { logger } = migration.getKnex().client
  for (const report of reports) logger.warn?.(`username and email keys: ${report}`)
}

/**
 * Fills username_key and email_key for every existing row, inside the migration that added them
 * (NFKC has no SQL form on either database, so the keys are computed here), under that
 * migration's own rules (KEYS_ADDED_RULES), and reports each collision.
 */
export async function fillNameKeys(migration: Migration): Promise<void> {
  const users = await migration.execute('select id, username, email from users')
  const { keys, reports } = keyExistingUsers(users as NamedUser[], KEYS_ADDED_RULES)
  warn(migration, reports)
  for (const { id, usernameKey, emailKey } of keys) {
    await migration.execute('update users set username_key = ?, email_key = ? where id = ?', [usernameKey, emailKey, id])
  }
}

/**
 * Recomputes the keys of existing rows after the rules changed from `previous` to today's, and
 * writes those that changed. The unique indexes must be off meanwhile: a row may take the key
 * another row gives up in the same pass.
 */
export async function recomputeNameKeys(migration: Migration, previous: NameRules): Promise<void> {
  const rows = await migration.execute('select id, username, email, username_key, email_key from users')
  const users = (rows as { id: number; username: string; email: string; username_key: string; email_key: string }[]).map((row) => ({
    id: row.id,
    username: row.username,
    email: row.email,
    usernameKey: row.username_key,
    emailKey: row.email_key,
  }))
  const { changed, reports } = rekeyExistingUsers(users, previous)
  warn(migration, reports)
  for (const { id, usernameKey, emailKey } of changed) {
    await migration.execute('update users set username_key = ?, email_key = ? where id = ?', [usernameKey, emailKey, id])
  }
}
