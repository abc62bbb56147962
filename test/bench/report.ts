import { GOAL_TITLES, type Figure, type GoalCheck } from './goals.js'
import type { Machine } from './machine.js'
import type { Measurement } from './measurement.js'

/** A Markdown table, readable in a terminal and pasteable into the README as it is. */
function markdownTable(headers: string[], rows: string[][], leftAligned: number[]): string {
  const all = [headers, ...rows]
  const widths = headers.map((_, i) => Math.max(...all.map((cells) => cells[i]!.length)))
  const left = (i: number) => leftAligned.includes(i)
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (left(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((width, i) => `-${'-'.repeat(width)}${left(i) ? '-' : ':'}`).join('|')}|`
  return [line(headers), rule, ...rows.map(line)].join('\n')
}

const number = (value: number) => value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? '' : `${number(value)}×`)
const cpu = (value: number | null) => (value === null ? '-' : value.toFixed(value < 10 ? 2 : 0))

const MEASUREMENT_HEADERS = [
  'database', 'posts', 'workers', 'scenario',
  'req/s', '× base', 'p50 ms', 'p99 ms', '× base', 'errors', 'CPU ms/req', '× base', 'wrk CPU ms/req', 'peak RSS MiB', 'note',
]

/**
 * Every measurement, one row each, grouped by database, posts and workers: those cells are
 * printed when they change from the row above. `workers` says how many processes served.
 */
export function formatTable(measurements: Measurement[]): string {
  let previous: string[] = []
  const rows = measurements.map((m) => {
    const where = m.where
      ? [m.where.database, m.where.posts.toLocaleString('en-US'), `${m.where.workers} (${m.where.processes} proc${m.where.processes > 1 ? 's' : ''})`]
      : ['reference', '', '']
    const group = where.map((cell, i) => (where.slice(0, i + 1).join('|') === previous.slice(0, i + 1).join('|') ? '' : cell))
    previous = where
    return [
      ...group,
      m.scenario,
      m.requestsPerSecond.toFixed(m.requestsPerSecond < 100 ? 1 : 0),
      ratio(m.versusBaseline?.requestsPerSecond),
      m.p50Ms.toFixed(m.p50Ms < 10 ? 2 : 0),
      m.p99Ms.toFixed(m.p99Ms < 10 ? 2 : 0),
      ratio(m.versusBaseline?.p99),
      String(m.errors),
      cpu(m.cpuMsPerRequest),
      ratio(m.versusBaseline?.cpuMsPerRequest),
      m.loadCpuMsPerRequest === null ? '-' : m.loadCpuMsPerRequest.toFixed(3),
      m.peakRssMiB.toFixed(0),
      m.versus ? `${m.versus.ratio.toFixed(2)} × ${m.versus.of}` : '',
    ]
  })
  return markdownTable(MEASUREMENT_HEADERS, rows, [0, 1, 2, 3, 14])
}

const verdict = (check: GoalCheck) => `${check.figure.toFixed(2)} ${check.met ? 'met' : 'MISSED'} (${check.detail})`

/** Each goal as a small table (rows: reads; columns: database and size), then one line of where it stands. */
export function formatGoals(checks: GoalCheck[], figures: Figure[]): string {
  const sections = ([1, 2, 3, 4] as const).map((goal) => {
    const mine = checks.filter((c) => c.goal === goal)
    if (mine.length === 0) return `${GOAL_TITLES[goal]}\nnot measured`
    const columns = [...new Set(mine.map((c) => c.column))]
    const rowNames = [...new Set(mine.map((c) => c.row))]
    const rows = rowNames.map((row) => [row, ...columns.map((column) => {
      const found = mine.find((c) => c.row === row && c.column === column)
      return found ? verdict(found) : ''
    })])
    if (goal === 3) {
      for (const figure of figures) {
        const at = columns.indexOf(figure.column)
        if (at < 0) continue
        const row = rows.find((cells) => cells[0] === figure.row) ?? (rows.push([figure.row, ...columns.map(() => '')]), rows.at(-1)!)
        row[at + 1] = figure.detail
      }
    }
    const met = mine.filter((c) => c.met).length
    const standing = `${met === mine.length ? 'MET' : 'MISSED'}: ${met} of ${mine.length} met`
    return `${GOAL_TITLES[goal]}: ${standing}\n\n${markdownTable([goal === 4 ? 'workers' : 'read', ...columns], rows, [0, ...columns.map((_, i) => i + 1)])}`
  })
  return sections.join('\n\n')
}

export function formatMachine(machine: Machine): string {
  return `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, Linux ${machine.kernel}; load average ${machine.loadAverage.toFixed(2)} at the start`
}
