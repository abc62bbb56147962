import { describe, expect, it } from 'vitest'
import { openRawConnection } from '../support/raw-http.js'
import { logEntries, useServerProcesses, waitForLogEntry } from '../support/server-process.js'

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('a client that aborts its upload mid-body', () => {
  const servers = useServerProcesses('blog-aborted-')

  it('is logged as one aborted request at info level, not as an error', async () => {
    const server = await servers.start({ LOG_REQUESTS: 'true' })
    const uploads = [
      { framing: 'Content-Length: 100000', part: `{"username": "${'a'.repeat(1000)}` },
      { framing: 'Transfer-Encoding: chunked', part: '10\r\n{"username": "aa\r\n' },
    ]
    const seen = new Set<unknown>()
    for (const { framing, part } of uploads) {
      const connection = await openRawConnection(server.port)
      connection.socket.write(
        `POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\nExpect: 100-continue\r\n\r\n`,
      )
      // `100 Continue` comes once the request has reached the app, which then waits for the body.
      await until(() => connection.received().includes('100 Continue'))
      connection.socket.write(part)
      connection.socket.destroy()

      const line = await waitForLogEntry(server, (entry) => entry.path === '/api/users' && !seen.has(entry.request_id))
      seen.add(line.request_id)
      expect(line, framing).toMatchObject({ level: 'info', method: 'POST', aborted: true })
      expect(line, framing).not.toHaveProperty('status')
      expect(logEntries(server).filter((entry) => entry.request_id === line.request_id), framing).toHaveLength(1)
    }
    expect(logEntries(server).filter((entry) => entry.level !== 'info' || 'err' in entry)).toEqual([])
  })
})
