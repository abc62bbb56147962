import { preparedQuery, queryPrepared } from '../../db/prepared.js'
import type { EntityManager } from '../../db/orm.js'
import type { UserPublicSource } from '../../lib/users.js'

// A public profile is read on every view of it and of its posts: a prepared statement through
// the ORM's connection (src/db/prepared.ts). Changes go through entities (users.service.ts).

const PROFILE_BY_ID = preparedQuery('profile_by_id', 'select id, username, image_file from users where id = ?')

export async function readProfile(em: EntityManager, id: number): Promise<UserPublicSource | undefined> {
  const [row] = await queryPrepared<{ id: number; username: string; image_file: string | null }>(em, PROFILE_BY_ID, [id])
  return row && { id: row.id, username: row.username, imageFile: row.image_file }
}
