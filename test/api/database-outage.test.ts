import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestContext, type TestContext } from '../support/context.js'
import { onPostgres } from '../support/database.js'
import { scrape, valueOf } from '../support/metrics.js'
import { apiOperations, exampleRequest } from '../support/spec.js'
import { startTcpProxy } from '../support/tcp-proxy.js'
import { signUp } from '../support/users.js'

// On PostgreSQL the app reaches the database through a proxy the test cuts, as a database host
// that went away. SQLite is a file in the process: what can keep it from answering is its one
// connection being held elsewhere, so the test holds it.

interface Outage {
  start: () => Promise<void>
  end: () => Promise<void>
  close: () => Promise<void>
}

async function contextWithOutage(): Promise<{ ctx: TestContext; outage: Outage }> {
  if (onPostgres) {
    const url = new URL(inject('postgresUrl'))
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    url.host = `127.0.0.1:${proxy.port}`
    const ctx = await createTestContext({ database: { postgresUrl: url.toString(), connectTimeoutMs: 1000 } })
    return { ctx, outage: { start: proxy.cut, end: proxy.restore, close: proxy.close } }
  }
  const ctx = await createTestContext({ database: { connectTimeoutMs: 300 } })
  const knex = ctx.orm.em.getConnection().getKnex()
  let held: unknown
  const outage = {
    start: async () => void (held = await knex.client.acquireConnection()),
    end: async () => knex.client.releaseConnection(held),
    close: async () => {},
  }
  return { ctx, outage }
}

let ctx: TestContext
let outage: Outage
let token: string

beforeAll(async () => {
  ;({ ctx, outage } = await contextWithOutage())
  ;({ token } = await signUp(ctx))
})

afterAll(async () => {
  await outage.close()
  await ctx.close()
})

describe('while the database cannot answer', () => {
  beforeAll(() => outage.start())
  afterAll(() => outage.end())

  let unavailableBefore = 0
  beforeAll(async () => {
    unavailableBefore = valueOf(await scrape(), 'blog_database_unavailable_total')
  })

  it.each(apiOperations)('$name answers 503 Service Unavailable', async (op) => {
    const response = await ctx.fetch(...exampleRequest(op, token))
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ detail: 'Service Unavailable' })
  })

  it('counts each of those 503s in the metrics', async () => {
    expect(valueOf(await scrape(), 'blog_database_unavailable_total') - unavailableBefore).toBe(apiOperations.length)
  })

  it('GET /readyz answers 503 and GET /healthz still 200', async () => {
    const ready = await ctx.fetch('/readyz')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ detail: 'Service Unavailable' })
    expect((await ctx.fetch('/healthz')).status).toBe(200)
  })
})

describe('when the database is back', () => {
  it('GET /readyz is 200 and the API answers again, with no restart', async () => {
    await outage.start()
    expect((await ctx.fetch('/readyz')).status).toBe(503)
    await outage.end()
    const ready = await ctx.fetch('/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ok' })
    const me = await ctx.clientAs(token).GET('/api/users/me')
    expect(me.response.status).toBe(200)
  })
})
