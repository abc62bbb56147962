import { PasswordHasher } from '../../src/auth/passwords.js'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import { initORM } from '../../src/db/orm.js'
import { nameKey } from '../../src/rules/names.js'

export interface Seeded {
  users: number
  posts: number
  /** The email of user `userId`, whose password is the bench's. */
  email: string
  /** A user whose first page of posts is full at every size: every 100th post is theirs. */
  userId: number
  /** The first and last post id; the ids between are all taken. */
  postIds: { first: number; last: number }
}

const PARAGRAPH =
  'Benchmarks measure what they measure and nothing else; a post body of a few hundred ' +
  'characters keeps the page close to what a real blog sends. '
const CONTENT = PARAGRAPH.repeat(3)
const FIRST_DATE = Date.UTC(2026, 0, 1)

/** One Argon2 hash of the bench password, made once (with the service's parameters) for every seeded user. */
export function hashPassword(password: string): Promise<string> {
  return new PasswordHasher({ maxWaiting: 1, maxPerClient: 1 }).hash(password, 'bench-seed')
}

/**
 * Applies the migrations (through initORM, as the service would) to an empty database, then
 * inserts the users and posts with plain SQL on its connection: a recursive CTE in one
 * transaction on SQLite, generate_series on PostgreSQL, then VACUUM ANALYZE
 * there, and a checkpoint. Users are `bench<n>` / `bench<n>@example.com`, all with
 * `passwordHash`. Post n (from 1) is user 1's when n is a multiple of 100, else user
 * 1 + n mod `users`'s; each post is a minute newer than the one before.
 */
export async function seedDatabase(databaseUrl: string, counts: { users: number; posts: number }, passwordHash: string): Promise<Seeded> {
  // The keys the service derives from a name (src/rules/names.ts) are the names themselves here.
  if (nameKey('bench1') !== 'bench1' || nameKey('bench1@example.com') !== 'bench1@example.com') {
    throw new Error('nameKey changes the seeded names: seed.ts must derive the keys')
  }
  const postgres = parseDatabaseUrl(databaseUrl).kind === 'postgresql'
  const orm = await initORM(databaseUrl)
  try {
    const knex = orm.em.getConnection().getKnex()
    const numbers = (count: number) =>
      postgres
        ? knex.raw('select i from generate_series(1, ?) as i', [count])
        : knex.raw('with recursive n(i) as (select 1 union all select i + 1 from n where i < ?) select i from n', [count])
    await knex.transaction(async (trx) => {
      await trx.raw(
        `insert into users (username, email, username_key, email_key, password_hash)
         select 'bench' || i, 'bench' || i || '@example.com', 'bench' || i, 'bench' || i || '@example.com', ? from (?) as n`,
        [passwordHash, numbers(counts.users)],
      )
      const date = postgres ? `?::timestamptz + i * interval '1 minute'` : '? + i * 60000'
      await trx.raw(
        `insert into posts (title, content, date_posted, user_id)
         select 'Post number ' || i, ?, ${date}, case when i % 100 = 0 then 1 else 1 + i % ? end from (?) as n`,
        [CONTENT, postgres ? new Date(FIRST_DATE).toISOString() : FIRST_DATE, counts.users, numbers(counts.posts)],
      )
    })
    // Settled before anything is measured, as autovacuum would settle PostgreSQL's in time:
    // statistics, the visibility map (for index-only scans), and the write-ahead log, which the
    // server would otherwise write out meanwhile. SQLite gets no statistics, as the service never
    // gathers them.
    if (postgres) {
      await knex.raw('vacuum analyze')
      await knex.raw('checkpoint')
    } else {
      await knex.raw('pragma wal_checkpoint(truncate)')
    }

    const range = async (table: string) => {
      const rows = await knex.raw(`select count(*) as count, min(id) as first, max(id) as last from ${table}`)
      const row = (postgres ? rows.rows : rows)[0] as { count: number | string; first: number; last: number }
      return { count: Number(row.count), first: Number(row.first), last: Number(row.last) }
    }
    const users = await range('users')
    const posts = await range('posts')
    if (users.count !== counts.users || users.first !== 1 || users.last !== counts.users) {
      throw new Error(`seeded users ${JSON.stringify(users)}: expected ids 1 to ${counts.users} in an empty database`)
    }
    if (posts.count !== counts.posts || posts.last - posts.first + 1 !== counts.posts) {
      throw new Error(`seeded posts ${JSON.stringify(posts)}: expected ${counts.posts} consecutive ids in an empty database`)
    }
    return { users: counts.users, posts: counts.posts, email: 'bench1@example.com', userId: 1, postIds: { first: posts.first, last: posts.last } }
  } finally {
    await orm.close()
  }
}

/** Deletes the posts a write scenario added, so that the next run on the database sees the seeded table again. */
export async function removePostsAfter(databaseUrl: string, lastSeededId: number): Promise<number> {
  const orm = await initORM(databaseUrl)
  try {
    const knex = orm.em.getConnection().getKnex()
    const removed = await knex('posts').where('id', '>', lastSeededId).delete()
    if (parseDatabaseUrl(databaseUrl).kind === 'postgresql') await knex.raw('vacuum analyze posts')
    return removed
  } finally {
    await orm.close()
  }
}
