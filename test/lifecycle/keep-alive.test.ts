import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/http/body-limit.js'
import { useServerProcesses } from '../support/server-process.js'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One request through a node:http agent; a Readable body goes out chunked, without a length. */
function send(origin: string, agent: Agent, method: string, path: string, body?: Buffer | Readable): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text })).once('error', reject)
    })
    req.once('error', reject)
    if (body instanceof Readable) body.pipe(req)
    else req.end(body)
  })
}

const oversized = (bytes: number) => Buffer.alloc(bytes, 'a')

/** A body of `bytes` in 64 KiB chunks, so its length is never declared. */
const oversizedStream = (bytes: number) =>
  Readable.from((function* () {
    for (let sent = 0; sent < bytes; sent += 64 * 1024) yield oversized(Math.min(64 * 1024, bytes - sent))
  })())

describe('a keep-alive client whose body is refused with 413', () => {
  const servers = useServerProcesses('blog-keep-alive-')

  it('sends its next request on its pool without a broken connection (node:http agent)', async () => {
    const { origin } = await servers.start()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const bodies = [
        () => oversized(2 * MAX_BODY_BYTES),
        () => oversized(64 * MAX_BODY_BYTES),
        () => oversizedStream(2 * MAX_BODY_BYTES),
      ]
      for (const body of bodies) {
        const refused = await send(origin, agent, 'POST', '/api/users', body())
        expect(refused.status).toBe(413)
        expect(refused.headers.connection).toBe('close')
        expect(JSON.parse(refused.body)).toEqual({ detail: 'Request body too large' })
        expect((await send(origin, agent, 'GET', '/api/posts')).status).toBe(200)
      }
    } finally {
      agent.destroy()
    }
  })

  it('sends its next request on its pool without a broken connection (fetch)', async () => {
    const { origin } = await servers.start()
    for (const bytes of [2 * MAX_BODY_BYTES, 64 * MAX_BODY_BYTES]) {
      const refused = await fetch(`${origin}/api/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: oversized(bytes),
      })
      expect(refused.status).toBe(413)
      expect(await refused.json()).toEqual({ detail: 'Request body too large' })
      expect((await fetch(`${origin}/api/posts`)).status).toBe(200)
    }
  })
})
