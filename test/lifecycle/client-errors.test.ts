import { describe, expect, it } from 'vitest'
import { securityHeaderValues } from '../../src/http/security-headers.js'
import { expectErrorContract, sendRaw } from '../support/raw-http.js'
import { useServerProcesses } from '../support/server-process.js'

describe('requests that Node refuses before the app sees them', () => {
  const servers = useServerProcesses('blog-client-errors-')

  it('get the error contract and the security headers', async () => {
    const server = await servers.start()
    const security = await securityHeaderValues()
    expect(Object.keys(security)).toEqual(
      expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']),
    )
    const ordinary = await fetch(`${server.origin}/api/posts`)
    for (const [name, value] of Object.entries(security)) expect(ordinary.headers.get(name), name).toBe(value)

    const cases: Array<[string, number, string]> = [
      [`GET /api/posts HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'Request Header Fields Too Large'],
      [`POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'Bad Request'],
      [`POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, 400, 'Bad Request'],
      ['NOT HTTP AT ALL\r\n\r\n', 400, 'Bad Request'],
    ]
    for (const [payload, status, detail] of cases) {
      await expectErrorContract(await sendRaw(server.port, payload), status, detail)
    }
  })
})
