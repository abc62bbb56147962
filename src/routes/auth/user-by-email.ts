import { User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'

/**
 * The account with this email key (src/rules/names.ts): an index seek that finds what the unique
 * index would call the same email, whatever its case or Unicode form.
 */
export function findUserByEmailKey(em: EntityManager, emailKey: string, options: { withPasswordHash?: boolean } = {}) {
  return em.findOne(User, { emailKey }, options.withPasswordHash ? { populate: ['passwordHash'] } : {})
}
