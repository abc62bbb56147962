import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createTestContext, type TestContext } from './context.js'

export type TestServer = TestContext & { origin: string; stop: () => Promise<void> }
export type TestServerOptions = Parameters<typeof createTestContext>[0]

/**
 * The app on a real port on 127.0.0.1 (for the browser, and real client addresses), over a fresh
 * database: any free port, or the PORT its settings name (so the default PUBLIC_URL is its own).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ctx = await createTestContext(options)
  const server: ServerType = await new Promise((resolve) => {
    // Keeping node's own Request global leaves the in-process client of the same test working.
    const s = serve(
      {
        fetch: ctx.app.fetch,
        hostname: '127.0.0.1',
        port: Number(options.env?.PORT ?? 0),
        overrideGlobalObjects: false,
      },
      () => resolve(s),
    )
  })
  const { port } = server.address() as AddressInfo
  return {
    ...ctx,
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve))
      await ctx.close()
    },
  }
}

