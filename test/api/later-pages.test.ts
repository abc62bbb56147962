import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PostPage } from '../../client/index.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { signUp } from '../support/users.js'

// The pages after the first, of both lists of posts: which posts, in which order, and what the
// page says about the rest. The first page alone cannot tell a skip that is off by one.
useCheapArgon2()

let ctx: TestContext
afterEach(() => ctx.close())

type Author = Awaited<ReturnType<typeof signUp>>

async function post(author: Author, title: string): Promise<number> {
  const { data, response } = await author.client.POST('/api/posts', { body: { title, content: 'c' } })
  expect(response.status).toBe(201)
  return data!.id
}

/** What a page holds, with its posts as ids. */
function summary({ posts, ...page }: PostPage) {
  return { ids: posts.map((p) => p.id), ...page }
}

async function allPosts(skip: number, limit: number) {
  const { data, response } = await ctx.client.GET('/api/posts', { params: { query: { skip, limit } } })
  expect(response.status).toBe(200)
  return summary(data!)
}

async function postsBy(author: Author, skip: number, limit: number) {
  const { data, response } = await ctx.client.GET('/api/users/{user_id}/posts', {
    params: { path: { user_id: author.user.id }, query: { skip, limit } },
  })
  expect(response.status).toBe(200)
  return summary(data!)
}

// Alice writes five posts and Bob two between them, one after another: newest first, every post
// is [a5, a4, b2, a3, a2, b1, a1] and Alice's are [a5, a4, a3, a2, a1].
let alice: Author
let a1: number, a2: number, a3: number, a4: number, a5: number, b1: number, b2: number
beforeEach(async () => {
  ctx = await createTestContext()
  alice = await signUp(ctx)
  const bob = await signUp(ctx)
  a1 = await post(alice, 'a1')
  b1 = await post(bob, 'b1')
  a2 = await post(alice, 'a2')
  a3 = await post(alice, 'a3')
  b2 = await post(bob, 'b2')
  a4 = await post(alice, 'a4')
  a5 = await post(alice, 'a5')
})

describe('GET /api/users/{user_id}/posts after the first page', () => {
  it('answers the posts after the skipped ones, newest first', async () => {
    expect(await postsBy(alice, 2, 2)).toEqual({ ids: [a3, a2], total: 5, skip: 2, limit: 2, has_more: true })
    expect(await postsBy(alice, 1, 3)).toEqual({ ids: [a4, a3, a2], total: 5, skip: 1, limit: 3, has_more: true })
  })

  it('answers a last page that is partial, or ends just at the last post, with has_more false', async () => {
    expect(await postsBy(alice, 4, 2)).toEqual({ ids: [a1], total: 5, skip: 4, limit: 2, has_more: false })
    expect(await postsBy(alice, 3, 2)).toEqual({ ids: [a2, a1], total: 5, skip: 3, limit: 2, has_more: false })
  })

  it('answers no posts but the total when skip is past the end', async () => {
    expect(await postsBy(alice, 5, 2)).toEqual({ ids: [], total: 5, skip: 5, limit: 2, has_more: false })
    expect(await postsBy(alice, 50, 10)).toEqual({ ids: [], total: 5, skip: 50, limit: 10, has_more: false })
  })

  it('walks through every post once, page after page', async () => {
    const ids: number[] = []
    for (let skip = 0; skip < 5; skip += 2) ids.push(...(await postsBy(alice, skip, 2)).ids)
    expect(ids).toEqual([a5, a4, a3, a2, a1])
  })
})

describe('GET /api/posts after the first page', () => {
  it('answers the posts after the skipped ones, newest first', async () => {
    expect(await allPosts(2, 2)).toEqual({ ids: [b2, a3], total: 7, skip: 2, limit: 2, has_more: true })
    expect(await allPosts(1, 3)).toEqual({ ids: [a4, b2, a3], total: 7, skip: 1, limit: 3, has_more: true })
  })

  it('answers a last page that is partial, or ends just at the last post, with has_more false', async () => {
    expect(await allPosts(6, 2)).toEqual({ ids: [a1], total: 7, skip: 6, limit: 2, has_more: false })
    expect(await allPosts(5, 2)).toEqual({ ids: [b1, a1], total: 7, skip: 5, limit: 2, has_more: false })
  })

  it('answers no posts but the total when skip is past the end', async () => {
    expect(await allPosts(7, 2)).toEqual({ ids: [], total: 7, skip: 7, limit: 2, has_more: false })
    expect(await allPosts(70, 10)).toEqual({ ids: [], total: 7, skip: 70, limit: 10, has_more: false })
  })

  it('walks through every post once, page after page', async () => {
    const ids: number[] = []
    for (let skip = 0; skip < 7; skip += 2) ids.push(...(await allPosts(skip, 2)).ids)
    expect(ids).toEqual([a5, a4, b2, a3, a2, b1, a1])
  })
})
