import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client'

/** Every metric of the service, in prom-client's global registry (the one cluster workers report). */
export const registry = register

/** The process's own metrics (CPU, memory, event-loop lag, handles); once per process that serves. */
export function collectProcessMetrics(): void {
  collectDefaultMetrics({ register: registry })
}

// Fast reads take about a millisecond, password routes a few hundred.
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'Requests answered, by method, route template (unmatched for unknown paths) and status',
  labelNames: ['method', 'route', 'status'] as const,
})

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from a request reaching the app to its answer, by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: SECONDS_BUCKETS,
})

export const queueHeld = new Gauge({
  name: 'blog_queue_places_held',
  help: 'Places held in a fair queue (hashing: password hashes; pictures: uploads), running or waiting',
  labelNames: ['queue'] as const,
})

export const queueWaiting = new Gauge({
  name: 'blog_queue_tasks_waiting',
  help: 'Tasks of a fair queue waiting for their turn',
  labelNames: ['queue'] as const,
})

export const queueWait = new Histogram({
  name: 'blog_queue_wait_seconds',
  help: 'Time a task waited for its turn in a fair queue',
  labelNames: ['queue'] as const,
  buckets: SECONDS_BUCKETS,
})

export const queueFull = new Counter({
  name: 'blog_queue_full_total',
  help: 'Places refused because a fair queue was full (each a 503 with Retry-After)',
  labelNames: ['queue'] as const,
})

export const limitRefusals = new Counter({
  name: 'blog_rate_limit_refusals_total',
  help: 'Attempts refused by a limit (a 429), by the count that refused it',
  labelNames: ['limit'] as const,
})

export const databaseUnavailable = new Counter({
  name: 'blog_database_unavailable_total',
  help: 'Requests answered 503 because the database could not answer',
})

/** Reads the connection pools of this process; each returns its connections in use and queries waiting for one. */
const pools = new Set<() => { used: number; waiting: number }>()

/** Counts a pool in the pool gauges until the returned function is called. */
export function watchPool(read: () => { used: number; waiting: number }): () => void {
  pools.add(read)
  return () => pools.delete(read)
}

const sumOfPools = (key: 'used' | 'waiting') => () => [...pools].reduce((sum, read) => sum + read()[key], 0)

// Read at each scrape.
new Gauge({
  name: 'blog_db_pool_connections_in_use',
  help: 'Database connections lent out of the pool',
  collect() {
    this.set(sumOfPools('used')())
  },
})

new Gauge({
  name: 'blog_db_pool_acquires_waiting',
  help: 'Queries waiting for a database connection',
  collect() {
    this.set(sumOfPools('waiting')())
  },
})

export const outboxMails = new Counter({
  name: 'blog_outbox_mails_total',
  help: 'Outcomes of sends from the mail outbox: sent, retried (a failed attempt to be tried again) or failed (given up)',
  labelNames: ['outcome'] as const,
})

// Every instance sees the same table: with workers, the largest answer is the table's, not their sum.
export const outboxDue = new Gauge({
  name: 'blog_outbox_mails_due',
  help: 'Mails of the outbox due to be sent, as of the last look (once a minute)',
  aggregator: 'max',
})

export const outboxPending = new Gauge({
  name: 'blog_outbox_mails_pending',
  help: 'Mails of the outbox not yet sent or given up, as of the last look (once a minute)',
  aggregator: 'max',
})

export const sessionEvents = new Counter({
  name: 'blog_session_events_total',
  help:
    'Sessions started (a sign-in), refreshed (a refresh token rotated), ended (sign-out, revoked by its owner, a password change or reset) ' +
    'and reuse_detected (a rotated-away refresh token presented after the grace: the session ends)',
  labelNames: ['event'] as const,
})
