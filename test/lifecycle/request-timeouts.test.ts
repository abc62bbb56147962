import { describe, it } from 'vitest'
import { expectErrorContract, openRawConnection, parseRawResponse, type RawConnection } from '../support/raw-http.js'
import { useServerProcesses } from '../support/server-process.js'

// The server runs with timeouts of 1 s and 2 s and looks for expired requests once a second, so a
// cut comes about 3 s in; the bound leaves room for a busy machine. Node's own defaults (60 s for
// headers, 300 s for the request, looked for every 30 s) would hold either drip far longer.
const CUT_WITHIN_MS = 10_000
const DRIP_EVERY_MS = 500

/** Sends `start`, then `drop` every half second, until the server closes the connection. */
async function drip(connection: RawConnection, start: string, drop: string): Promise<string> {
  connection.socket.write(start)
  const dripping = setInterval(() => connection.socket.writable && connection.socket.write(drop), DRIP_EVERY_MS)
  let timer: NodeJS.Timeout | undefined
  const cutOff = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${CUT_WITHIN_MS} ms`)), CUT_WITHIN_MS)
  })
  try {
    return await Promise.race([connection.closed, cutOff])
  } finally {
    clearInterval(dripping)
    clearTimeout(timer)
    connection.socket.destroy()
  }
}

describe('a request sent a byte at a time', () => {
  const servers = useServerProcesses('blog-timeouts-')

  it('is cut with a 408 within 10 s when its body drips past a 2 s request timeout', async () => {
    const server = await servers.start({ HEADERS_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '2' })
    const raw = await drip(
      await openRawConnection(server.port),
      'POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      'a',
    )
    await expectErrorContract(parseRawResponse(raw), 408, 'Request Timeout')
  })

  it('is cut with a 408 within 10 s when its headers drip past a 1 s headers timeout', async () => {
    const server = await servers.start({ HEADERS_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '60' })
    const raw = await drip(await openRawConnection(server.port), 'GET /api/posts HTTP/1.1\r\nHost: x\r\n', 'X-Drip: a\r\n')
    await expectErrorContract(parseRawResponse(raw), 408, 'Request Timeout')
  })
})
