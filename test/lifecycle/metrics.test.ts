import { Agent, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { readBody } from '../support/in-flight.js'
import { parseMetrics, valueOf } from '../support/metrics.js'
import { connectionOwner, listeningPorts, serverChildren } from '../support/processes.js'
import { freePort, useServerProcesses, type ServerProcess } from '../support/server-process.js'

const READS = 12

/** GET `path` on a connection of its own; resolves to the worker that answered. */
function readOnce(server: ServerProcess, workers: number[], path: string): Promise<number | undefined> {
  // Kept alive until the answer is read, so the worker's end of it can be found.
  const agent = new Agent({ keepAlive: true })
  return new Promise<number | undefined>((resolve, reject) => {
    request(`${server.origin}${path}`, { agent }, (response) => {
      const worker = connectionOwner(workers, server.port, response.socket.localPort!)
      expect(response.statusCode).toBe(200)
      readBody(response).then(() => resolve(worker), reject)
    })
      .once('error', reject)
      .end()
  }).finally(() => agent.destroy())
}

describe('metrics on a port of their own', () => {
  const servers = useServerProcesses('blog-metrics-')

  it('are off by default: the server listens on its API port only, which answers 404 for /metrics', async () => {
    const server = await servers.start()
    expect(listeningPorts(server.child.pid!)).toEqual([server.port])
    expect(server.output()).not.toContain('Metrics on')
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(404)
  })

  it('with WEB_CONCURRENCY=2, one scrape of the primary sums what both workers counted', async () => {
    const metricsPort = await freePort()
    const server = await servers.start({ WEB_CONCURRENCY: '2', METRICS_PORT: String(metricsPort) })
    expect(server.output()).toContain(`"msg":"Metrics on http://127.0.0.1:${metricsPort}/metrics"`)
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(404)

    const workers = serverChildren(server.child.pid!)
    const servedBy: (number | undefined)[] = []
    for (let i = 0; i < READS; i += 1) servedBy.push(await readOnce(server, workers, '/api/posts?limit=1'))
    expect(new Set(servedBy)).toEqual(new Set(workers))

    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
    expect(scraped.status).toBe(200)
    expect(scraped.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const samples = parseMetrics(await scraped.text())
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: '/api/posts', status: '200' })).toBe(READS)
    expect(valueOf(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/posts' })).toBe(READS)
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
  })
})
