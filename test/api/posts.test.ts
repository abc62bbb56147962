import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Post } from '../../src/db/entities/index.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { signUp } from '../support/users.js'

// Posts, not passwords, are under test here: Argon2 runs at its cheapest cost.
useCheapArgon2()

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

const path = (post_id: number) => ({ params: { path: { post_id } } })

describe('POST /api/posts', () => {
  it('creates a post authored by the caller, with its public author', async () => {
    const alice = await signUp(ctx)
    const { data, response } = await alice.client.POST('/api/posts', {
      body: { title: 'Hello', content: 'First post' },
    })
    expect(response.status).toBe(201)
    expect(data).toEqual({
      id: expect.any(Number),
      title: 'Hello',
      content: 'First post',
      user_id: alice.user.id,
      date_posted: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      author: { id: alice.user.id, username: alice.username, image_file: null, image_path: alice.user.image_path },
    })
    expect(Math.abs(Date.parse(data!.date_posted) - Date.now())).toBeLessThan(60_000)
  })

  it('ignores a user_id in the body: the author is always the caller', async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    const response = await ctx.fetch('/api/posts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({ title: 't', content: 'c', user_id: bob.user.id }),
    })
    expect(((await response.json()) as { user_id: number }).user_id).toBe(alice.user.id)
  })

  it('needs a token and valid fields', async () => {
    const anonymous = await ctx.client.POST('/api/posts', { body: { title: 't', content: 'c' } })
    expect(anonymous.response.status).toBe(401)
    const alice = await signUp(ctx)
    const invalid = await alice.client.POST('/api/posts', { body: { title: 't'.repeat(101), content: '' } })
    expect(invalid.response.status).toBe(422)
    expect((invalid.error?.detail as { loc: string[] }[]).map((d) => d.loc)).toEqual([
      ['body', 'title'],
      ['body', 'content'],
    ])
    expect(await ctx.orm.em.fork().count(Post, {})).toBe(0)
  })
})

describe('GET /api/posts', () => {
  it('pages through posts newest first with totals', async () => {
    const alice = await signUp(ctx)
    for (let i = 1; i <= 5; i++) await alice.client.POST('/api/posts', { body: { title: `p${i}`, content: 'c' } })

    const first = await ctx.client.GET('/api/posts', { params: { query: { limit: 2 } } })
    expect(first.data).toMatchObject({ total: 5, skip: 0, limit: 2, has_more: true })
    expect(first.data?.posts.map((p) => p.title)).toEqual(['p5', 'p4'])

    const last = await ctx.client.GET('/api/posts', { params: { query: { skip: 4, limit: 2 } } })
    expect(last.data).toMatchObject({ total: 5, skip: 4, limit: 2, has_more: false })
    expect(last.data?.posts.map((p) => p.title)).toEqual(['p1'])

    const defaults = await ctx.client.GET('/api/posts')
    expect(defaults.data).toMatchObject({ skip: 0, limit: 10, has_more: false })
  })

  it('answers 422 for paging out of range', async () => {
    for (const query of ['skip=-1', 'limit=0', 'limit=101', 'limit=abc', 'skip=1.5', 'skip=', 'limit=1e1', 'skip=0x10', 'limit=%2010']) {
      const response = await ctx.fetch(`/api/posts?${query}`)
      expect(response.status, query).toBe(422)
      const body = (await response.json()) as { detail: { loc: string[] }[] }
      expect(body.detail[0]?.loc[0]).toBe('query')
    }
  })
})

// A page without ?skip&limit is the newest 10 (FastAPI's default limit), on both lists.
describe.each([
  ['GET /api/posts', () => '/api/posts'],
  ['GET /api/users/{user_id}/posts', (userId: number) => `/api/users/${userId}/posts`],
])('%s', (_, pathFor) => {
  it('answers with the newest 10 of 11 posts when no query is given', async () => {
    const alice = await signUp(ctx)
    for (let i = 1; i <= 11; i++) await alice.client.POST('/api/posts', { body: { title: `p${i}`, content: 'c' } })
    const response = await ctx.fetch(pathFor(alice.user.id))
    expect(response.status).toBe(200)
    const page = (await response.json()) as { posts: { title: string }[] }
    expect(page).toMatchObject({ total: 11, skip: 0, limit: 10, has_more: true })
    expect(page.posts.map((post) => post.title)).toEqual(['p11', 'p10', 'p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2'])
  })
})

describe('GET /api/posts/{post_id}', () => {
  it('returns the post, or 404', async () => {
    const alice = await signUp(ctx)
    const created = await alice.client.POST('/api/posts', { body: { title: 't', content: 'c' } })
    const found = await ctx.client.GET('/api/posts/{post_id}', path(created.data!.id))
    expect(found.data).toEqual(created.data)
    const missing = await ctx.client.GET('/api/posts/{post_id}', path(12345))
    expect(missing.response.status).toBe(404)
    expect(missing.error).toEqual({ detail: 'Post not found' })
  })
})

/** Alice and a post of hers, titled 'Original' with the content 'Body'. */
async function alicesPost() {
  const alice = await signUp(ctx)
  const { data } = await alice.client.POST('/api/posts', { body: { title: 'Original', content: 'Body' } })
  return { alice, post: data! }
}

async function expectUnchanged(postId: number) {
  const stored = await ctx.orm.em.fork().findOneOrFail(Post, postId)
  expect(stored).toMatchObject({ title: 'Original', content: 'Body' })
}

describe('PUT /api/posts/{post_id}', () => {
  it('replaces title and content for the author', async () => {
    const { alice, post } = await alicesPost()
    const { data, response } = await alice.client.PUT('/api/posts/{post_id}', {
      ...path(post.id),
      body: { title: 'New', content: 'New body' },
    })
    expect(response.status).toBe(200)
    expect(data).toMatchObject({ id: post.id, title: 'New', content: 'New body', date_posted: post.date_posted })
  })

  it('needs both fields', async () => {
    const { alice, post } = await alicesPost()
    const response = await alice.client.PUT('/api/posts/{post_id}', {
      ...path(post.id),
      body: { title: 'Only a title' } as never,
    })
    expect(response.response.status).toBe(422)
    await expectUnchanged(post.id)
  })

  it('refuses everyone but the author, checking existence first', async () => {
    const { post } = await alicesPost()
    const bob = await signUp(ctx)
    const body = { title: 'x', content: 'y' }
    const missing = await bob.client.PUT('/api/posts/{post_id}', { ...path(99999), body })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toEqual({ detail: 'Post not found' })
    const put = await bob.client.PUT('/api/posts/{post_id}', { ...path(post.id), body })
    expect(put.response.status).toBe(403)
    expect(put.error).toEqual({ detail: 'Not authorized to update this post' })
    await expectUnchanged(post.id)
  })

  it('needs a token', async () => {
    const { post } = await alicesPost()
    const { response } = await ctx.client.PUT('/api/posts/{post_id}', { ...path(post.id), body: { title: 'x', content: 'y' } })
    expect(response.status).toBe(401)
    await expectUnchanged(post.id)
  })
})

describe('PATCH /api/posts/{post_id}', () => {
  it('changes only the fields sent', async () => {
    const { alice, post } = await alicesPost()
    const { data } = await alice.client.PATCH('/api/posts/{post_id}', { ...path(post.id), body: { content: 'Edited' } })
    expect(data).toMatchObject({ title: 'Original', content: 'Edited' })
    const unchanged = await alice.client.PATCH('/api/posts/{post_id}', { ...path(post.id), body: {} })
    expect(unchanged.data).toMatchObject({ title: 'Original', content: 'Edited' })
  })

  it('refuses everyone but the author, checking existence first', async () => {
    const { post } = await alicesPost()
    const bob = await signUp(ctx)
    const missing = await bob.client.PATCH('/api/posts/{post_id}', { ...path(99999), body: { title: 'x' } })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toEqual({ detail: 'Post not found' })
    const patch = await bob.client.PATCH('/api/posts/{post_id}', { ...path(post.id), body: { title: 'x' } })
    expect(patch.response.status).toBe(403)
    expect(patch.error).toEqual({ detail: 'Not authorized to update this post' })
    await expectUnchanged(post.id)
  })

  it('needs a token', async () => {
    const { post } = await alicesPost()
    const { response } = await ctx.client.PATCH('/api/posts/{post_id}', { ...path(post.id), body: { title: 'x' } })
    expect(response.status).toBe(401)
    await expectUnchanged(post.id)
  })
})

describe('DELETE /api/posts/{post_id}', () => {
  it('removes the post for its author', async () => {
    const { alice, post } = await alicesPost()
    const { response } = await alice.client.DELETE('/api/posts/{post_id}', path(post.id))
    expect(response.status).toBe(204)
    expect((await ctx.client.GET('/api/posts/{post_id}', path(post.id))).response.status).toBe(404)
  })

  it('refuses everyone but the author, checking existence first', async () => {
    const { post } = await alicesPost()
    const bob = await signUp(ctx)
    const missing = await bob.client.DELETE('/api/posts/{post_id}', path(99999))
    expect(missing.response.status).toBe(404)
    expect(missing.error).toEqual({ detail: 'Post not found' })
    const del = await bob.client.DELETE('/api/posts/{post_id}', path(post.id))
    expect(del.response.status).toBe(403)
    expect(del.error).toEqual({ detail: 'Not authorized to delete this post' })
    await expectUnchanged(post.id)
  })

  it('needs a token', async () => {
    const { post } = await alicesPost()
    const { response } = await ctx.client.DELETE('/api/posts/{post_id}', path(post.id))
    expect(response.status).toBe(401)
    await expectUnchanged(post.id)
  })
})
