import { expect } from 'vitest'
import type { Orm } from '../../src/db/orm.js'

export interface PostCounts {
  /** The number of posts, counted. */
  total: number
  /** What the counters table holds for every post. */
  kept: number
  /** Per user id: the posts counted, and what users.post_count holds. */
  users: Record<number, { counted: number; kept: number }>
}

/** The post counts the triggers keep beside the real ones, read straight from the database. */
export async function postCounts(orm: Orm): Promise<PostCounts> {
  const connection = orm.em.getConnection()
  const [row] = await connection.execute<{ total: number | string; kept: number | string }[]>(
    "select (select count(*) from posts) as total, (select value from counters where name = 'posts') as kept",
  )
  const users = await connection.execute<{ id: number; counted: number | string; kept: number | string }[]>(
    'select id, (select count(*) from posts where posts.user_id = users.id) as counted, post_count as kept from users order by id',
  )
  return {
    total: Number(row!.total),
    kept: Number(row!.kept),
    users: Object.fromEntries(users.map((user) => [user.id, { counted: Number(user.counted), kept: Number(user.kept) }])),
  }
}

/** Fails unless every kept count equals the real one; returns them for further checks. */
export async function expectExactCounts(orm: Orm): Promise<PostCounts> {
  const counts = await postCounts(orm)
  expect(counts.kept, 'counters.posts').toEqual(counts.total)
  for (const [id, user] of Object.entries(counts.users)) expect(user.kept, `users.post_count of user ${id}`).toEqual(user.counted)
  return counts
}
