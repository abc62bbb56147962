import type { Migration } from '@mikro-orm/migrations'
import { nameKey, VISIBLE_TEXT } from '../rules/names.js'

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

const idList = (...ids: number[]) => `user${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`

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
export function keyExistingUsers(users: readonly NamedUser[]): { keys: KeyedUser[]; reports: string[] } {
  const reports: string[] = []
  const byId = [...users].sort((a, b) => a.id - b.id)
  const distinct = (field: 'username' | 'email') => {
    const plain = byId.map((user) => nameKey(user[field]))
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
    for (const [owner, others] of sharing) {
      reports.push(
        `${field} key shared by ${idList(owner, ...others)}: user ${owner} keeps it, ${idList(...others)} ` +
          `${others.length > 1 ? 'get' : 'gets'} "<key>#<id>" until a new ${field} is chosen`,
      )
    }
    return keys
  }
  const usernameKeys = distinct('username')
  const emailKeys = distinct('email')
  const refused = byId.filter((user) => !VISIBLE_TEXT.test(user.username) || user.username.trim() === '')
  if (refused.length > 0) {
    reports.push(`${idList(...refused.map((user) => user.id))}: a username the new rules refuse (invisible characters, or only spaces), kept as it is`)
  }
  return { keys: byId.map((user, i) => ({ id: user.id, usernameKey: usernameKeys[i]!, emailKey: emailKeys[i]! })), reports }
}

/**
 * Fills username_key and email_key for every existing row, inside the migration that added them
 * (NFKC has no SQL form on either database, so the keys are computed here), and reports each
 * collision as a warning in the database log (initORM's `log`), never failing on one. It uses
 * the service's own nameKey: if that rule ever changes, a new migration must recompute the keys.
 */
export async function fillNameKeys(migration: Migration): Promise<void> {
  const users = await migration.execute('select id, username, email from users')
  const { keys, reports } = keyExistingUsers(users as NamedUser[])
  const { logger } = migration.getKnex().client
  for (const report of reports) logger.warn?.(`username and email keys: ${report}`)
  for (const { id, usernameKey, emailKey } of keys) {
    await migration.execute('update users set username_key = ?, email_key = ? where id = ?', [usernameKey, emailKey, id])
  }
}
