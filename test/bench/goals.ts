import type { Measurement, ScenarioKey } from './measurement.js'
import { GOAL_READS, SIZE_GOAL_READS } from './scenarios.js'
import { SETTINGS } from './settings.js'

/** One goal, checked on one read (or one database and worker count). */
export interface GoalCheck {
  goal: 1 | 2 | 3 | 4
  /** The row it is printed in (a read, or for goal 4 the worker count). */
  row: string
  /** The column it is printed in (a database, with the size where it matters). */
  column: string
  figure: number
  comparison: '>=' | '<='
  limit: number
  met: boolean
  /** What the figure is made of, e.g. `0.52 → 0.61 ms; req/s × 0.93`. */
  detail: string
}

/** A figure the issue asks for without a fixed goal. */
export interface Figure {
  row: string
  column: string
  detail: string
}

export const GOAL_TITLES = {
  1: 'Goal 1, reads per process (1 worker): req/s >= 0.35 x the bare-Hono baseline',
  2: 'Goal 2, two workers: req/s >= 1.7 x the same read with 1 worker',
  3: `Goal 3, size: CPU ms/req at ${SETTINGS.sizes.at(-1)!.toLocaleString('en-US')} posts <= 1.5 x at ${SETTINGS.sizes[0]!.toLocaleString('en-US')} (1 worker; req/s ratio beside it)`,
  4: 'Goal 4, login storm: the paced reader\'s p99 beside 4 concurrent logins <= 3 x its p99 alone',
} as const

function check(goal: GoalCheck['goal'], row: string, column: string, figure: number, comparison: '>=' | '<=', limit: number, detail: string): GoalCheck {
  return { goal, row, column, figure, comparison, limit, met: comparison === '>=' ? figure >= limit : figure <= limit, detail }
}

const sizeLabel = (posts: number) => posts.toLocaleString('en-US')

/** Checks every goal the measurements allow; a database or size that was not measured is left out. */
export function checkGoals(measurements: Measurement[], databases: string[]): { checks: GoalCheck[]; figures: Figure[] } {
  const baseline = measurements.find((m) => m.key === 'baseline')
  const find = (database: string, posts: number, workers: number, key: ScenarioKey) =>
    measurements.find((m) => m.key === key && m.where?.database === database && m.where.posts === posts && m.where.workers === workers)
  const name = (key: ScenarioKey) => {
    const any = measurements.find((m) => m.key === key)
    return any?.scenario ?? key
  }
  const checks: GoalCheck[] = []
  const figures: Figure[] = []
  const [small, large] = [SETTINGS.sizes[0]!, SETTINGS.sizes.at(-1)!]

  for (const database of databases) {
    for (const posts of SETTINGS.sizes) {
      const column = `${database}, ${sizeLabel(posts)}`
      for (const key of GOAL_READS) {
        const one = find(database, posts, 1, key)
        const two = find(database, posts, 2, key)
        if (one && baseline) {
          const ratio = one.requestsPerSecond / baseline.requestsPerSecond
          checks.push(check(1, name(key), column, ratio, '>=', 0.35, `${one.requestsPerSecond.toFixed(0)} req/s`))
        }
        if (one && two) {
          const processes = two.where!.processes === 1 ? '; ONE process ran' : ''
          checks.push(check(2, name(key), column, two.requestsPerSecond / one.requestsPerSecond, '>=', 1.7,
            `${one.requestsPerSecond.toFixed(0)} → ${two.requestsPerSecond.toFixed(0)} req/s${processes}`))
        }
      }
    }

    for (const key of SIZE_GOAL_READS) {
      const before = find(database, small, 1, key)
      const after = find(database, large, 1, key)
      if (!before?.cpuMsPerRequest || !after?.cpuMsPerRequest) continue
      checks.push(check(3, name(key), database, after.cpuMsPerRequest / before.cpuMsPerRequest, '<=', 1.5,
        `${before.cpuMsPerRequest.toFixed(2)} → ${after.cpuMsPerRequest.toFixed(2)} ms; req/s × ${(after.requestsPerSecond / before.requestsPerSecond).toFixed(2)}`))
    }
    const deepBefore = find(database, small, 1, 'deepPage')
    const deepAfter = find(database, large, 1, 'deepPage')
    if (deepBefore?.cpuMsPerRequest && deepAfter?.cpuMsPerRequest) {
      const skip = (m: Measurement) => /skip=\d+/.exec(m.scenario)![0]
      figures.push({
        row: 'GET /api/posts?skip=N, N half the posts (a figure, no goal)',
        column: database,
        detail: `${skip(deepBefore)}: ${deepBefore.cpuMsPerRequest.toFixed(2)} ms → ${skip(deepAfter)}: ${deepAfter.cpuMsPerRequest.toFixed(2)} ms ` +
          `(× ${(deepAfter.cpuMsPerRequest / deepBefore.cpuMsPerRequest).toFixed(1)}); ${deepBefore.requestsPerSecond.toFixed(0)} → ${deepAfter.requestsPerSecond.toFixed(1)} req/s`,
      })
    }

    for (const workers of SETTINGS.workerCounts) {
      const alone = find(database, small, workers, 'stormAlone')
      const beside = find(database, small, workers, 'stormBeside')
      if (!alone || !beside) continue
      checks.push(check(4, `${workers} worker${workers > 1 ? 's' : ''}`, database, beside.p99Ms / alone.p99Ms, '<=', 3,
        `p99 ${alone.p99Ms.toFixed(0)} → ${beside.p99Ms.toFixed(0)} ms`))
    }
  }
  return { checks, figures }
}
