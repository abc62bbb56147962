import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Post, User } from '../../src/db/entities/index.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { QueryRecorder } from '../support/query-recorder.js'
import { userRow } from '../support/users.js'

const OLDER_POSTS_BY_ONE_AUTHOR = 20
const NEWER_POSTS_EACH_BY_ITS_OWN_AUTHOR = 20

let ctx: TestContext
const statements: string[] = []

beforeEach(async () => {
  ctx = await createTestContext({ orm: { loggerFactory: (options) => new QueryRecorder(options, statements) } })
  const em = ctx.orm.em.fork()
  const newUser = (name: string) => em.create(User, userRow(name, `${name}@example.com`))
  const alice = newUser('alice')
  const start = Date.UTC(2026, 0, 1)
  const authors = [
    ...Array.from({ length: OLDER_POSTS_BY_ONE_AUTHOR }, () => alice),
    ...Array.from({ length: NEWER_POSTS_EACH_BY_ITS_OWN_AUTHOR }, (_, i) => newUser(`author${i}`)),
  ]
  authors.forEach((author, i) =>
    em.create(Post, { title: `post ${i}`, content: 'c', datePosted: new Date(start + i * 1000), author }),
  )
  await em.flush()
})
afterEach(() => ctx.close())

/** Sends one request and returns its body and the statements it cost. */
async function countQueries(url: string) {
  statements.length = 0
  const response = await ctx.fetch(url)
  expect(response.status, url).toBe(200)
  const body = (await response.json()) as { posts: { author: { id: number } }[] }
  return { statements: [...statements], posts: body.posts.length, authors: new Set(body.posts.map((p) => p.author.id)).size }
}

describe('GET /api/posts', () => {
  it('costs the same few statements whatever the page size or the number of authors', async () => {
    const pages = [
      { url: '/api/posts?limit=1', posts: 1, authors: 1 },
      { url: '/api/posts?skip=20&limit=20', posts: 20, authors: 1 },
      { url: '/api/posts?limit=20', posts: 20, authors: 20 },
      { url: '/api/posts?limit=100', posts: 40, authors: 21 },
    ]
    const counts = []
    for (const page of pages) {
      const measured = await countQueries(page.url)
      expect({ posts: measured.posts, authors: measured.authors }, page.url).toEqual({ posts: page.posts, authors: page.authors })
      counts.push(measured.statements.length)
    }
    // One statement: the page's rows carry their authors and the kept total.
    expect(counts, `statements per page: ${counts.join(', ')}`).toEqual([1, 1, 1, 1])
  })
})

describe('GET /api/users/{user_id}/posts', () => {
  it("costs the same for one author's posts, however many there are", async () => {
    const [alice, bob] = await ctx.orm.em.fork().find(User, { username: { $in: ['alice', 'author0'] } }, { orderBy: { id: 'asc' } })
    const many = await countQueries(`/api/users/${alice!.id}/posts?limit=100`)
    const one = await countQueries(`/api/users/${bob!.id}/posts?limit=100`)
    expect([many.posts, one.posts]).toEqual([OLDER_POSTS_BY_ONE_AUTHOR, 1])
    // One statement: its first row carries the author, so the author's existence costs nothing more.
    expect([many.statements.length, one.statements.length]).toEqual([1, 1])
  })
})
