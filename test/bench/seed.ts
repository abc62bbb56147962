import { PasswordHasher } from '../../src/auth/passwords.js'
import { Post, User } from '../../src/db/entities/index.js'
import { initORM } from '../../src/db/orm.js'

export interface Seeded {
  /** Every user's email; they all share one password. */
  emails: string[]
  postIds: number[]
}

const PARAGRAPH =
  'Benchmarks measure what they measure and nothing else; a post body of a few hundred ' +
  'characters keeps the page close to what a real blog sends. '

/**
 * Creates the schema and inserts the users and posts in one flush. One Argon2 hash serves every
 * user, so seeding costs one hash instead of one per user, and every user can still log in.
 */
export async function seedDatabase(
  databaseUrl: string,
  counts: { users: number; posts: number },
  password: string,
): Promise<Seeded> {
  const orm = await initORM(databaseUrl)
  try {
    const em = orm.em.fork()
    const passwordHash = await new PasswordHasher({ maxWaiting: 1, maxPerClient: 1 }).hash(password, 'bench-seed')
    const users = Array.from({ length: counts.users }, (_, i) =>
      em.create(User, { username: `bench${i + 1}`, email: `bench${i + 1}@example.com`, passwordHash }),
    )
    const start = Date.UTC(2026, 0, 1)
    const posts = Array.from({ length: counts.posts }, (_, i) =>
      em.create(Post, {
        title: `Post number ${i + 1}`,
        content: PARAGRAPH.repeat(3),
        datePosted: new Date(start + i * 60_000),
        author: users[i % users.length]!,
      }),
    )
    await em.flush()
    return { emails: users.map((user) => user.email), postIds: posts.map((post) => post.id) }
  } finally {
    await orm.close()
  }
}
