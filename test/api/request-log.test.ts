import { afterEach, expect, it } from 'vitest'
import { TEST_SECRET, createTestContext, type TestContext } from '../support/context.js'
import { signUp } from '../support/users.js'
import { logTo } from '../support/log.js'

let ctx: TestContext
afterEach(() => ctx.close())

it('logs one structured line per request, with the id the response carries, and no secrets', async () => {
  const lines: Record<string, unknown>[] = []
  ctx = await createTestContext({ env: { LOG_REQUESTS: 'true' }, log: logTo((entry) => lines.push(entry)) })
  const alice = await signUp(ctx, { password: 'a-very-distinct-password' })
  const me = await alice.client.GET('/api/users/me')
  const bad = await ctx.fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' })

  // The sign-up's verification mail is logged too (no SMTP_URL): the request lines are these.
  const requests = lines.filter((line) => 'method' in line)
  expect(requests).toHaveLength(4)
  for (const line of requests) {
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // In-process requests have no socket (test/api/forwarded-addresses.test.ts logs real ones).
      client: 'unknown',
      method: expect.stringMatching(/^(GET|POST)$/),
      path: expect.stringMatching(/^\/api\//),
      status: expect.any(Number),
      duration_ms: expect.any(Number),
    })
  }
  expect(requests.map((line) => `${line.method} ${line.path} ${line.status}`)).toEqual([
    'POST /api/users 201',
    'POST /api/users/token 200',
    'GET /api/users/me 200',
    'POST /api/users 400',
  ])
  expect(requests[2]?.request_id).toBe(me.response.headers.get('X-Request-Id'))
  expect(requests[3]?.request_id).toBe(bad.headers.get('X-Request-Id'))

  const text = JSON.stringify(lines)
  for (const secret of ['a-very-distinct-password', alice.token, TEST_SECRET, '$argon2']) {
    expect(text).not.toContain(secret)
  }
})
