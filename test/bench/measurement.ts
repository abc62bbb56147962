import type autocannon from 'autocannon'
import { wrkErrors, type WrkResult } from './wrk.js'

/** The reads the goals name, and the other scenarios, as keys that do not depend on the size. */
export type ScenarioKey =
  | 'posts'
  | 'deepPage'
  | 'postById'
  | 'userById'
  | 'userPosts'
  | 'me'
  | 'createPost'
  | 'login'
  | 'stormAlone'
  | 'stormBeside'
  | 'baseline'
  /** The baseline's other, slower run: shown, not compared with. */
  | 'baselineSlower'
  | 'argon2'

/** Where a service scenario ran; the reference rows (baseline, raw argon2) have none. */
export interface Where {
  database: string
  /** Posts seeded. */
  posts: number
  /** WEB_CONCURRENCY given to the service. */
  workers: number
  /** Processes the service ran (its primary and its workers), counted after it started. */
  processes: number
}

export interface Measurement {
  key: ScenarioKey
  scenario: string
  where?: Where
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Socket errors, timeouts and error answers (wrk: status 400 and up; autocannon: not 2xx). */
  errors: number
  /** wrk's errors by kind (connect, read, write, status, timeout). */
  errorsByKind?: WrkResult['errors']
  /** CPU time the serving processes spent per request, all their threads (argon2's too), summed over the processes. */
  cpuMsPerRequest: number | null
  /** CPU time of the load generator (wrk) per request, when it could be read. */
  loadCpuMsPerRequest: number | null
  /** The sum over the serving processes of each one's peak RSS. */
  peakRssMiB: number
  /** Ratios of req/s, p99 and CPU ms/req to the baseline's (reads only). */
  versusBaseline?: { requestsPerSecond: number; p99: number; cpuMsPerRequest: number | null }
  /** Any other comparison, e.g. `{ ratio: 0.98, of: 'raw argon2 req/s' }`. */
  versus?: { ratio: number; of: string }
}

/** What the serving processes used during a measurement. */
export interface ServerUse {
  cpuSeconds: number
  peakRssBytes: number
}

export function bytesToMiB(bytes: number): number {
  return bytes / (1024 * 1024)
}

export function fromWrk(key: ScenarioKey, scenario: string, where: Where | undefined, result: WrkResult, server: ServerUse): Measurement {
  const requests = Math.max(1, result.requests)
  return {
    key,
    scenario,
    ...(where && { where }),
    requestsPerSecond: result.requests / (result.durationUs / 1e6),
    p50Ms: result.latencyUs.p50 / 1000,
    p99Ms: result.latencyUs.p99 / 1000,
    errors: wrkErrors(result),
    errorsByKind: result.errors,
    cpuMsPerRequest: (server.cpuSeconds * 1000) / requests,
    loadCpuMsPerRequest: (result.cpuSeconds * 1000) / requests,
    peakRssMiB: bytesToMiB(server.peakRssBytes),
  }
}

export function fromAutocannon(key: ScenarioKey, scenario: string, where: Where, result: autocannon.Result, server: ServerUse): Measurement {
  return {
    key,
    scenario,
    where,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMsPerRequest: (server.cpuSeconds * 1000) / Math.max(1, result.requests.total),
    // autocannon runs in the bench's own process, beside everything else it does.
    loadCpuMsPerRequest: null,
    peakRssMiB: bytesToMiB(server.peakRssBytes),
  }
}

export function withBaseline(measurement: Measurement, baseline: Measurement): Measurement {
  const cpu = measurement.cpuMsPerRequest
  return {
    ...measurement,
    versusBaseline: {
      requestsPerSecond: measurement.requestsPerSecond / baseline.requestsPerSecond,
      p99: measurement.p99Ms / baseline.p99Ms,
      cpuMsPerRequest: cpu === null || baseline.cpuMsPerRequest === null ? null : cpu / baseline.cpuMsPerRequest,
    },
  }
}

export function throughputVersus(measurement: Measurement, reference: Measurement, label: string): Measurement {
  return { ...measurement, versus: { ratio: measurement.requestsPerSecond / reference.requestsPerSecond, of: `${label} req/s` } }
}

export function p99Versus(measurement: Measurement, reference: Measurement, label: string): Measurement {
  return { ...measurement, versus: { ratio: measurement.p99Ms / reference.p99Ms, of: `${label} p99` } }
}
