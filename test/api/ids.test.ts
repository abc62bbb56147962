import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { signUp } from '../support/users.js'

// One rule for ids (src/rules/ids.ts), read alike by the API's path parameters and the pages'
// URLs: plain digits, 1 to 2147483647 (the largest 32-bit integer). Leading zeros are digits too.

const LARGEST_ID = '2147483647'
const PAST_THE_LARGEST_ID = '2147483648'

// Ids, not passwords, are under test here: Argon2 runs at its cheapest cost.
useCheapArgon2()

// Nothing here writes after the set-up, so one app serves every test.
let ctx: TestContext
beforeAll(async () => {
  ctx = await createTestContext()
  const author = await signUp(ctx)
  const { data } = await author.client.POST('/api/posts', { body: { title: 'The first post', content: 'x' } })
  // The paths below name them by number.
  expect([author.user.id, data!.id]).toEqual([1, 1])
})
afterAll(() => ctx.close())

async function answer(path: string) {
  const response = await ctx.fetch(path)
  return { status: response.status, type: response.headers.get('Content-Type'), body: await response.text() }
}

describe.each([
  { operation: 'GET /api/posts/{post_id}', path: '/api/posts/', param: 'post_id', missing: 'Post not found' },
  { operation: 'GET /api/users/{user_id}', path: '/api/users/', param: 'user_id', missing: 'User not found' },
])('$operation', ({ path, param, missing }) => {
  it('answers 001 exactly as 1', async () => {
    const one = await answer(`${path}1`)
    expect(one.status).toBe(200)
    expect(JSON.parse(one.body)).toMatchObject({ id: 1 })
    expect(await answer(`${path}001`)).toEqual(one)
  })

  it('takes 2147483647 as an id: 404 for one nobody has', async () => {
    const response = await ctx.fetch(`${path}${LARGEST_ID}`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ detail: missing })
  })

  it('answers 422 for 2147483648, one past the largest id', async () => {
    const response = await ctx.fetch(`${path}${PAST_THE_LARGEST_ID}`)
    expect(response.status).toBe(422)
    const body = (await response.json()) as { detail: { loc: string[] }[] }
    expect(body.detail.map((issue) => issue.loc)).toEqual([['path', param]])
  })
})

describe('GET /posts/{post_id}', () => {
  it('serves /posts/001 as the page of post 1, as /posts/1', async () => {
    for (const path of ['/posts/1', '/posts/001']) {
      const page = await answer(path)
      expect(page.status, path).toBe(200)
      expect(page.type, path).toMatch(/^text\/html/)
      expect(page.body, path).toMatch(/<body data-page="post" data-post-id="1"/)
    }
  })

  it('serves the page of post 2147483647, whose browser code then finds no post', async () => {
    const page = await answer(`/posts/${LARGEST_ID}`)
    expect(page.status).toBe(200)
    expect(page.body).toMatch(/<body data-page="post" data-post-id="2147483647"/)
  })

  it('answers 2147483648 with the HTML 404 page', async () => {
    const page = await answer(`/posts/${PAST_THE_LARGEST_ID}`)
    expect(page.status).toBe(404)
    expect(page.type).toMatch(/^text\/html/)
    expect(page.body).toContain('Page not found')
  })
})

describe('GET /users/{user_id}/posts', () => {
  it('serves /users/001/posts as the page of user 1, as /users/1/posts', async () => {
    for (const path of ['/users/1/posts', '/users/001/posts']) {
      const page = await answer(path)
      expect(page.status, path).toBe(200)
      expect(page.body, path).toMatch(/<body data-page="user-posts" data-user-id="1"/)
    }
  })

  it('answers 2147483648 with the HTML 404 page, and serves 2147483647', async () => {
    expect((await answer(`/users/${PAST_THE_LARGEST_ID}/posts`)).status).toBe(404)
    expect((await answer(`/users/${LARGEST_ID}/posts`)).status).toBe(200)
  })
})
