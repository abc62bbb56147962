import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EntityManager } from '../../src/db/orm.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { onPostgres } from '../support/database.js'
import { expectExactCounts } from '../support/post-counts.js'
import { signUp } from '../support/users.js'

// The totals of the post pages come from counts that triggers keep (src/db/migrations): these
// tests compare them, and the totals the API answers with, against the posts really there.
useCheapArgon2()

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

type Author = Awaited<ReturnType<typeof signUp>>

async function totals(userIds: number[]) {
  const all = await ctx.client.GET('/api/posts', { params: { query: { limit: 1 } } })
  const byUser: Record<number, number> = {}
  for (const user_id of userIds) {
    const page = await ctx.client.GET('/api/users/{user_id}/posts', { params: { path: { user_id }, query: { limit: 1 } } })
    byUser[user_id] = page.data!.total
  }
  return { all: all.data!.total, byUser }
}

/** The API's totals and the kept counts all equal the posts really there. */
async function expectExactTotals(authors: Author[]) {
  const counts = await expectExactCounts(ctx.orm)
  const answered = await totals(authors.map((author) => author.user.id))
  expect(answered.all).toBe(counts.total)
  for (const [id, total] of Object.entries(answered.byUser)) expect(total, `user ${id}`).toBe(counts.users[Number(id)]!.counted)
  return counts
}

async function post(author: Author, title = 't') {
  const { data, response } = await author.client.POST('/api/posts', { body: { title, content: 'c' } })
  expect(response.status).toBe(201)
  return data!.id
}

const deletePost = (author: Author, post_id: number) => author.client.DELETE('/api/posts/{post_id}', { params: { path: { post_id } } })

describe('post totals', () => {
  it('follow creates, deletes and a deleted user with posts', async () => {
    const [alice, bob] = [await signUp(ctx), await signUp(ctx)]
    const aliceIds = [await post(alice), await post(alice), await post(alice)]
    await post(bob)
    expect(await totals([alice.user.id, bob.user.id])).toEqual({ all: 4, byUser: { [alice.user.id]: 3, [bob.user.id]: 1 } })

    expect((await deletePost(alice, aliceIds[0]!)).response.status).toBe(204)
    expect(await totals([alice.user.id, bob.user.id])).toEqual({ all: 3, byUser: { [alice.user.id]: 2, [bob.user.id]: 1 } })
    await expectExactTotals([alice, bob])

    const gone = await alice.client.DELETE('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } } })
    expect(gone.response.status).toBe(204)
    const counts = await expectExactTotals([bob])
    expect(counts.total).toBe(1)
  })

  it('read past the last page as on it', async () => {
    const alice = await signUp(ctx)
    await post(alice)
    const all = await ctx.client.GET('/api/posts', { params: { query: { skip: 5 } } })
    expect(all.data).toMatchObject({ posts: [], total: 1, has_more: false })
    const mine = await ctx.client.GET('/api/users/{user_id}/posts', { params: { path: { user_id: alice.user.id }, query: { skip: 5 } } })
    expect(mine.data).toMatchObject({ posts: [], total: 1, has_more: false })
  })

  it('stay exact under 50 parallel creates and deletes, with an author deleting their account meanwhile', async () => {
    const authors = [await signUp(ctx), await signUp(ctx), await signUp(ctx), await signUp(ctx)]
    const leaving = authors[3]!
    const stayed = authors.slice(0, 3)
    const existing = await Promise.all(authors.flatMap((author) => [1, 2, 3].map(async () => ({ author, id: await post(author) }))))

    const requests: Promise<{ author: Author; kind: 'create' | 'delete' | 'leave'; status: number }>[] = []
    for (let i = 0; i < 37; i++) {
      const author = authors[i % authors.length]!
      requests.push(author.client.POST('/api/posts', { body: { title: `p${i}`, content: 'c' } }).then((r) => ({ author, kind: 'create', status: r.response.status })))
    }
    for (const { author, id } of existing) requests.push(deletePost(author, id).then((r) => ({ author, kind: 'delete', status: r.response.status })))
    requests.push(
      leaving.client
        .DELETE('/api/users/{user_id}', { params: { path: { user_id: leaving.user.id } } })
        .then((r) => ({ author: leaving, kind: 'leave', status: r.response.status })),
    )
    expect(requests).toHaveLength(50)
    const done = await Promise.all(requests)

    // Every request of the authors who stay succeeds. The leaving author's may come after the
    // account is gone (401) or find their post already deleted with it (404); none fails (a
    // deadlock would be a 500).
    const statuses = (author: Author) => done.filter((request) => request.author === author).map((request) => `${request.kind} ${request.status}`)
    for (const author of stayed) expect(statuses(author).filter((status) => !['create 201', 'delete 204'].includes(status))).toEqual([])
    expect(statuses(leaving).filter((status) => !/^(create (201|401)|delete (204|401|404)|leave 204)$/.test(status))).toEqual([])

    const counts = await expectExactTotals(stayed)
    expect(counts.users[leaving.user.id]).toBeUndefined()
    for (const author of stayed) {
      const created = done.filter((request) => request.author === author && request.kind === 'create').length
      expect(counts.users[author.user.id]!.counted).toBe(created)
    }
  })
})

describe('post counts kept by triggers', () => {
  const sql = (statement: string, params: unknown[] = []) => ctx.orm.em.getConnection().execute(statement, params)

  it('follow bulk statements over many authors, a post moved to another author, and a user id changed', async () => {
    const authors = [await signUp(ctx), await signUp(ctx), await signUp(ctx)]
    for (const [i, author] of authors.entries()) for (let n = 0; n <= i; n++) await post(author)

    // One statement inserting for every author, then one deleting across them.
    await sql('insert into posts (title, content, date_posted, user_id) select title, content, date_posted, user_id from posts')
    expect((await expectExactCounts(ctx.orm)).total).toBe(12)
    await sql('delete from posts where id in (select min(id) from posts group by user_id)')
    expect((await expectExactCounts(ctx.orm)).total).toBe(9)

    const [a, b, c] = authors.map((author) => author.user.id) as [number, number, number]
    await sql('update posts set user_id = ? where id = (select min(id) from posts where user_id = ?)', [a, c])
    await sql('update posts set title = ? where user_id = ?', ['renamed', b])
    let counts = await expectExactCounts(ctx.orm)
    expect([counts.users[a]!.counted, counts.users[b]!.counted, counts.users[c]!.counted]).toEqual([2, 3, 4])

    // An id change cascades to the posts; their count goes with the user's row.
    await sql('update users set id = ? where id = ?', [c + 1000, c])
    counts = await expectExactCounts(ctx.orm)
    expect(counts.users[c + 1000]).toEqual({ counted: 4, kept: 4 })

    // Deleting the user in SQL cascades as the API's delete does.
    await sql('delete from users where id = ?', [c + 1000])
    expect((await expectExactCounts(ctx.orm)).total).toBe(5)
  })

  // SQLite has row triggers only; PostgreSQL's count from the statement's transition tables.
  it(`count a bulk insert exactly${onPostgres ? ', once per statement, not once per row' : ''}`, async () => {
    const alice = await signUp(ctx)
    await post(alice)
    // This transaction's own updates of the counting tables, so far (PostgreSQL's statistics).
    const updates = async (tx: EntityManager) => {
      if (!onPostgres) return { counters: 0, users: 0 }
      const rows = await tx.execute<{ relname: string; n: string }[]>(
        "select relname, n_tup_upd as n from pg_stat_xact_user_tables where schemaname = current_schema() and relname in ('counters', 'users') order by relname",
      )
      return Object.fromEntries(rows.map((row) => [row.relname, Number(row.n)]))
    }
    await ctx.orm.em.fork().transactional(async (tx) => {
      const before = await updates(tx)
      await tx.execute(
        `insert into posts (title, content, date_posted, user_id)
         select title, content, date_posted, user_id
         from posts, (with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select i from n) copies`,
      )
      const after = await updates(tx)
      if (onPostgres) expect({ counters: after.counters! - before.counters!, users: after.users! - before.users! }).toEqual({ counters: 1, users: 1 })
    })
    expect((await expectExactCounts(ctx.orm)).total).toBe(101)
  })
})
