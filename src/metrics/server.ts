import { createServer, type Server } from 'node:http'
import { AggregatorRegistry } from 'prom-client'
import { registry } from './registry.js'

/**
 * Serves GET /metrics on a port of its own (never the API's). With `cluster`, the primary
 * answers for all its workers: it asks each for its metrics and sums them.
 */
export function serveMetrics(host: string, port: number, { cluster = false } = {}): Server {
  const aggregator = cluster ? new AggregatorRegistry() : undefined
  const metrics = () => (aggregator ? aggregator.clusterMetrics() : registry.metrics())
  return createServer((request, response) => {
    if (request.url !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found\n')
      return
    }
    metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Could not collect the metrics\n'),
    )
  }).listen(port, host)
}

/** In a cluster worker: answers the primary's requests for this process's metrics. */
export function reportToPrimary(): void {
  new AggregatorRegistry()
}
