import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { gracefulCloser } from '../../src/http/graceful-close.js'

describe('gracefulCloser', () => {
  it('closes a server that never listened, as a worker stopped before its listen completes is', async () => {
    await expect(gracefulCloser(createServer()).close()).resolves.toBeUndefined()
  })

  it('closes a listening server, which stops listening', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    await gracefulCloser(server).close()
    expect(server.listening).toBe(false)
  })
})
