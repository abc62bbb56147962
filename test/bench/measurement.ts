import type autocannon from 'autocannon'

export interface Measurement {
  scenario: string
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Socket errors, timeouts and responses that were not 2xx. */
  errors: number
  /** CPU time the serving process spent per request, all its threads (argon2's too). */
  cpuMsPerRequest: number | null
  /** Peak RSS of the process under load (the service, or the baseline or floor process). */
  peakRssMiB: number
  /** This measurement as a ratio to a reference, e.g. `{ ratio: 0.4, of: 'baseline req/s' }`. */
  versus?: { ratio: number; of: string }
}

export function bytesToMiB(bytes: number): number {
  return bytes / (1024 * 1024)
}

export function fromAutocannon(
  scenario: string,
  result: autocannon.Result,
  server: { cpuSeconds: number; peakRssBytes: number },
): Measurement {
  return {
    scenario,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMsPerRequest: (server.cpuSeconds * 1000) / Math.max(1, result.requests.total),
    peakRssMiB: bytesToMiB(server.peakRssBytes),
  }
}

export function throughputVersus(measurement: Measurement, reference: Measurement, label: string): Measurement {
  return { ...measurement, versus: { ratio: measurement.requestsPerSecond / reference.requestsPerSecond, of: `${label} req/s` } }
}

export function p99Versus(measurement: Measurement, reference: Measurement, label: string): Measurement {
  return { ...measurement, versus: { ratio: measurement.p99Ms / reference.p99Ms, of: `${label} p99` } }
}
