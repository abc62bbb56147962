import type { Machine } from './machine.js'
import type { Measurement } from './measurement.js'

export interface Target {
  description: string
  actual: number
  /** `>=` for a floor, `<=` for a ceiling. */
  comparison: '>=' | '<='
  limit: number
  met: boolean
}

export function target(description: string, actual: number, comparison: '>=' | '<=', limit: number): Target {
  const met = comparison === '>=' ? actual >= limit : actual <= limit
  return { description, actual, comparison, limit, met }
}

const HEADERS = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req', 'peak RSS MiB', 'ratio']

function row(m: Measurement): string[] {
  return [
    m.scenario,
    m.requestsPerSecond.toFixed(m.requestsPerSecond < 100 ? 1 : 0),
    m.p50Ms.toFixed(0),
    m.p99Ms.toFixed(0),
    String(m.errors),
    m.cpuMsPerRequest === null ? '-' : m.cpuMsPerRequest.toFixed(m.cpuMsPerRequest < 10 ? 2 : 0),
    m.peakRssMiB.toFixed(0),
    m.versus ? `${m.versus.ratio.toFixed(2)} × ${m.versus.of}` : '',
  ]
}

/** A Markdown table, readable in a terminal and pasteable into the README as it is. */
export function formatTable(measurements: Measurement[]): string {
  const rows = [HEADERS, ...measurements.map(row)]
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)))
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((width, i) => (i === 0 || i === widths.length - 1 ? `-${'-'.repeat(width)}-` : `-${'-'.repeat(width)}:`)).join('|')}|`
  return [line(HEADERS), rule, ...rows.slice(1).map(line)].join('\n')
}

export function formatTargets(targets: Target[]): string {
  return targets
    .map((t) => `- ${t.description}: ${t.actual.toFixed(2)} (target ${t.comparison} ${t.limit}) ${t.met ? 'met' : 'MISSED'}`)
    .join('\n')
}

export function formatMachine(machine: Machine): string {
  return `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, Linux ${machine.kernel}; load average ${machine.loadAverage.toFixed(2)} at the start`
}
