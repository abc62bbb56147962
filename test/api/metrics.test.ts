import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { REUSE_GRACE_MS } from '../../src/auth/sessions.js'
import { poolUse } from '../../src/db/pool-use.js'
import { createFairQueue, QueueFullError } from '../../src/lib/fair-queue.js'
import { watchPool } from '../../src/metrics/registry.js'
import { createTestContext, json, type TestContext } from '../support/context.js'
import { scrape, valueOf, type Sample } from '../support/metrics.js'
import { freePort } from '../support/server-process.js'
import { newUser, register, signUp } from '../support/users.js'

let ctx: TestContext

beforeAll(async () => {
  ctx = await createTestContext({
    env: { LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '2', RESET_MAX_PER_EMAIL_AND_CLIENT: '1', HASHING_QUEUE_MAX_PER_CLIENT: '1' },
  })
})
afterAll(() => ctx.close())

/** What `traffic` added to each series named. */
async function added(traffic: () => Promise<unknown>): Promise<(name: string, labels?: Record<string, string>) => number> {
  const before = await scrape()
  await traffic()
  const after = await scrape()
  return (name, labels) => valueOf(after, name, labels) - valueOf(before, name, labels)
}

const series = (samples: Sample[]) => new Set(samples.map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`))
const logIn = (email: string, password: string) =>
  ctx.fetch('/api/users/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: email, password }).toString(),
  })

describe('the metrics of requests', () => {
  it('count requests by method, route template and status, and time them by route template', async () => {
    const { client } = await signUp(ctx)
    const { data: post } = await client.POST('/api/posts', { body: { title: 'Counted', content: 'Each read is counted.' } })
    const delta = await added(async () => {
      for (const path of [`/api/posts/${post!.id}`, `/api/posts/${post!.id}`, '/api/posts/999999', '/api/posts/x']) await ctx.fetch(path)
      await ctx.fetch('/api/posts?limit=1')
      await ctx.fetch('/healthz')
    })
    const route = '/api/posts/{post_id}'
    expect(delta('http_requests_total', { method: 'GET', route, status: '200' })).toBe(2)
    expect(delta('http_requests_total', { method: 'GET', route, status: '404' })).toBe(1)
    expect(delta('http_requests_total', { method: 'GET', route, status: '422' })).toBe(1)
    expect(delta('http_requests_total', { method: 'GET', route: '/api/posts', status: '200' })).toBe(1)
    expect(delta('http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(1)
    expect(delta('http_request_duration_seconds_count', { method: 'GET', route })).toBe(4)
    const routes = new Set((await scrape()).filter((sample) => sample.name === 'http_requests_total').map((sample) => sample.labels.route))
    expect([...routes].filter((label) => /\d/.test(label!))).toEqual([])
  })

  it('count every unknown path under one label, so unknown paths add no series', async () => {
    const unknown = (n: number) => ['/api/nope-', '/nope-', '/static/nope-'].map((prefix) => ctx.fetch(`${prefix}${n}`))
    await Promise.all(unknown(1))
    const before = await scrape()
    const delta = await added(() => Promise.all([...unknown(2), ...unknown(3)]))
    expect(series(await scrape())).toEqual(series(before))
    expect(delta('http_requests_total', { route: 'unmatched', status: '404' })).toBe(6)
  })
})

describe('the metrics of limits and queues', () => {
  it('count refusals by the limit that refused, and the turns password hashes took', async () => {
    const alice = newUser()
    await register(ctx, alice)
    const limited = await added(async () => {
      const statuses = []
      for (let i = 0; i < 3; i += 1) statuses.push((await logIn(alice.email, 'not-her-password')).status)
      expect(statuses).toEqual([401, 401, 429])
      const forgot = () => ctx.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email: alice.email }) })
      expect([(await forgot()).status, (await forgot()).status]).toEqual([202, 429])
    })
    expect(limited('blog_rate_limit_refusals_total', { limit: 'login_pair' })).toBe(1)
    expect(limited('blog_rate_limit_refusals_total', { limit: 'reset_pair' })).toBe(1)
    expect(limited('blog_rate_limit_refusals_total')).toBe(2)
    expect(limited('blog_queue_wait_seconds_count', { queue: 'hashing' })).toBe(2)
  })

  it('show a fair queue\'s places and waiting tasks, time its waits, and count its refusals (each a 503)', async () => {
    const queue = createFairQueue({ concurrency: 1, maxWaiting: 1, maxPerClient: 5 }, 'probe')
    const probe = { queue: 'probe' }
    let finish = () => {}
    const first = queue.run('a', () => new Promise<void>((resolve) => (finish = resolve)))
    const second = queue.run('b', async () => {})
    await expect(queue.run('c', async () => {})).rejects.toThrow(QueueFullError)
    let samples = await scrape()
    expect([valueOf(samples, 'blog_queue_places_held', probe), valueOf(samples, 'blog_queue_tasks_waiting', probe)]).toEqual([2, 1])
    expect(valueOf(samples, 'blog_queue_full_total', probe)).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    finish()
    await Promise.all([first, second])
    samples = await scrape()
    expect([valueOf(samples, 'blog_queue_places_held', probe), valueOf(samples, 'blog_queue_tasks_waiting', probe)]).toEqual([0, 0])
    expect(valueOf(samples, 'blog_queue_wait_seconds_count', probe)).toBe(2)
    expect(valueOf(samples, 'blog_queue_wait_seconds_sum', probe)).toBeGreaterThan(0.015)
  })
})

describe('the metrics of the database and the outbox', () => {
  it('count the connections lent out of the pool', async () => {
    const unwatch = watchPool(() => poolUse(ctx.orm))
    const inUse = async () => valueOf(await scrape(), 'blog_db_pool_connections_in_use')
    // The mails of the tests before are sent, so nothing else holds a connection.
    await ctx.outbox.idle()
    const idle = await inUse()
    const em = ctx.orm.em.fork()
    await em.begin()
    try {
      expect(await inUse()).toBe(idle + 1)
    } finally {
      await em.commit()
    }
    expect(await inUse()).toBe(idle)
    unwatch()
  })

  it('count mails sent, retried and given up', async () => {
    const sent = await added(async () => {
      await register(ctx, newUser())
      await ctx.outbox.idle()
    })
    expect(sent('blog_outbox_mails_total', { outcome: 'sent' })).toBe(1)

    // Nothing listens there: each of the test outbox's three attempts fails at once.
    const unreachable = await createTestContext({ env: { SMTP_URL: `smtp://127.0.0.1:${await freePort()}` } })
    try {
      const failing = await added(async () => {
        await register(unreachable, newUser())
        await unreachable.outbox.idle()
      })
      expect(failing('blog_outbox_mails_total', { outcome: 'retried' })).toBe(2)
      expect(failing('blog_outbox_mails_total', { outcome: 'failed' })).toBe(1)
      expect(failing('blog_outbox_mails_total', { outcome: 'sent' })).toBe(0)
    } finally {
      await unreachable.close()
    }
  })
})

describe('the metrics of sessions', () => {
  const refresh = (refreshToken: string) =>
    ctx.fetch('/api/users/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    })

  it('count sessions started, refreshed and ended, and a refresh token reused past the grace', async () => {
    const user = newUser()
    await register(ctx, user)
    let first = ''
    const delta = await added(async () => {
      first = ((await (await logIn(user.email, user.password)).json()) as { refresh_token: string }).refresh_token
      const second = ((await (await logIn(user.email, user.password)).json()) as { access_token: string }).access_token
      expect((await refresh(first)).status).toBe(200)
      expect((await ctx.fetch('/api/users/logout', { method: 'POST', headers: { Authorization: `Bearer ${second}` } })).status).toBe(204)
    })
    expect(delta('blog_session_events_total', { event: 'started' })).toBe(2)
    expect(delta('blog_session_events_total', { event: 'refreshed' })).toBe(1)
    expect(delta('blog_session_events_total', { event: 'ended' })).toBe(1)

    const reuse = await added(async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + REUSE_GRACE_MS + 1_000)
      try {
        expect((await refresh(first)).status).toBe(401)
      } finally {
        vi.useRealTimers()
      }
    })
    expect(reuse('blog_session_events_total', { event: 'reuse_detected' })).toBe(1)
  })
})
