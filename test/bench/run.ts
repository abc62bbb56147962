import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import type { FloorResult } from './argon2-floor.js'
import { buildIfStale } from './build.js'
import { freePort, startNode, type RunningProcess } from './child-process.js'
import { startLoad, type LoadOptions } from './load.js'
import { describeMachine, type Machine } from './machine.js'
import { bytesToMiB, fromAutocannon, p99Versus, throughputVersus, type Measurement } from './measurement.js'
import { reachablePostgresServer } from './postgres.js'
import { formatMachine, formatTable, formatTargets, target, type Target } from './report.js'
import { scenarioLoads } from './scenarios.js'
import { seedDatabase } from './seed.js'
import { logIn, startService } from './service.js'
import { SETTINGS } from './settings.js'

const started = performance.now()

/** Set while the run's scratch PostgreSQL database exists, so that every way out drops it. */
let dropScratchDatabase = async () => {}

async function abort(message: string): Promise<never> {
  console.error(message)
  await dropScratchDatabase().catch(() => {})
  process.exit(1)
}
setTimeout(() => void abort(`The benchmark ran past ${SETTINGS.maxRunSeconds} s; stopping.`), SETTINGS.maxRunSeconds * 1000).unref()
process.once('SIGINT', () => void abort('Interrupted.'))

const workDir = mkdtempSync(join(tmpdir(), 'blog-bench-'))
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }))

// Only what the child needs: nothing from the developer's shell or .env can change a run.
const baseEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'production',
  ...(process.env.UV_THREADPOOL_SIZE && { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE }),
}

/** A warm-up whose figures are dropped, then the measured run. */
async function measure(scenario: string, server: RunningProcess, options: LoadOptions): Promise<Measurement> {
  console.error(`  ${scenario}`)
  server.resetPeakRss()
  await startLoad(options, SETTINGS.warmupSeconds).done
  const cpuBefore = server.cpuSeconds()
  const result = await startLoad(options, SETTINGS.measureSeconds).done
  server.assertAlive()
  return fromAutocannon(scenario, result, {
    cpuSeconds: server.cpuSeconds() - cpuBefore,
    peakRssBytes: server.peakRssBytes(),
  })
}

async function measureBaseline(pageBody: string): Promise<Measurement> {
  const bodyFile = join(workDir, 'posts-page.json')
  writeFileSync(bodyFile, pageBody)
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const baseline = await startNode(
    ['--import', 'tsx', 'test/bench/baseline-server.ts'],
    { ...baseEnv, BODY_FILE: bodyFile, PORT: String(port) },
    `${origin}/api/posts`,
  )
  try {
    return await measure('baseline: bare Hono, same JSON', baseline, {
      url: `${origin}/api/posts`,
      connections: SETTINGS.connections,
    })
  } finally {
    await baseline.stop()
  }
}

async function measureArgon2Floor(): Promise<Measurement> {
  const scenario = 'raw argon2 verify'
  console.error(`  ${scenario}`)
  const args = [SETTINGS.loginConcurrency, SETTINGS.warmupSeconds, SETTINGS.measureSeconds].map(String)
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/bench/argon2-floor.ts', ...args], {
    env: baseEnv,
    timeout: (SETTINGS.warmupSeconds + SETTINGS.measureSeconds + 30) * 1000,
  })
  const floor = JSON.parse(stdout.trim().split('\n').at(-1)!) as FloorResult
  return {
    scenario,
    requestsPerSecond: floor.verifications / floor.seconds,
    p50Ms: floor.latenciesMs.p50,
    p99Ms: floor.latenciesMs.p99,
    errors: 0,
    cpuMsPerRequest: (floor.cpuSeconds * 1000) / floor.verifications,
    peakRssMiB: bytesToMiB(floor.peakRssBytes),
  }
}

/** A scenario's name in the table, with the database it ran on. */
type Label = (scenario: string) => string

/** A steady GET /api/posts reader, alone and then beside a login storm that outlasts it. */
async function measureLoginStorm(server: RunningProcess, posts: LoadOptions, login: LoadOptions, label: Label) {
  const { connections, requestsPerSecond } = SETTINGS.stormProbe
  const probe = { ...posts, connections, overallRate: requestsPerSecond }
  const name = `GET /api/posts, steady ${requestsPerSecond} req/s`
  const alone = await measure(label(name), server, probe)
  const storm = startLoad(login, SETTINGS.warmupSeconds + SETTINGS.measureSeconds + 5)
  try {
    const beside = await measure(label(`${name} + login storm`), server, probe)
    // The storm's hashing runs in the same process, so its CPU per read says nothing.
    return { alone, beside: p99Versus({ ...beside, cpuMsPerRequest: null }, alone, 'alone') }
  } finally {
    storm.stop()
    await storm.done
  }
}

interface DatabaseRun {
  database: string
  /** The service's first page of posts, which the baseline serves. */
  pageBody: string
  reads: Measurement[]
  create: Measurement
  login: Measurement
  storm: { alone: Measurement; beside: Measurement }
}

/** Seeds the database `url` names, starts the service on it and measures every scenario that uses it. */
async function measureDatabase(database: string, url: string): Promise<DatabaseRun> {
  console.error(`Seeding ${SETTINGS.users} users and ${SETTINGS.posts} posts in ${database} ...`)
  const seedStarted = performance.now()
  const seeded = await seedDatabase(url, { users: SETTINGS.users, posts: SETTINGS.posts }, SETTINGS.password)
  console.error(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`)
  const email = seeded.emails[0]!
  const { server, origin } = await startService(url, baseEnv)
  try {
    const token = await logIn(origin, email, SETTINGS.password)
    const pageBody = await (await fetch(`${origin}/api/posts`)).text()
    const loads = scenarioLoads(origin, { token, email, postIds: seeded.postIds })
    const label: Label = (scenario) => `${scenario} (${database})`

    console.error(`Measuring on ${database}:`)
    const reads = [
      await measure(label('GET /api/posts'), server, loads.posts),
      await measure(label('GET /api/posts?skip=500'), server, loads.postsSkip500),
      await measure(label('GET /api/posts/{id}'), server, loads.postById),
      await measure(label('GET /api/users/me'), server, loads.me),
    ]
    // After the reads, which then all see the seeded table, and before any login, whose Argon2
    // memory the allocator keeps for a while and would show in this row's peak RSS.
    const create = await measure(label('POST /api/posts'), server, loads.createPost)
    const login = await measure(label('POST /api/users/token'), server, loads.login)
    const storm = await measureLoginStorm(server, loads.posts, loads.login, label)
    return { database, pageBody, reads, create, login, storm }
  } finally {
    await server.stop()
  }
}

/** One database's rows as ratios to the baseline and the floor, and its targets. */
function compare(run: DatabaseRun, baseline: Measurement, floor: Measurement) {
  const reads = run.reads.map((m) => throughputVersus(m, baseline, 'baseline'))
  const login = throughputVersus(run.login, floor, 'raw argon2')
  const [posts, , , me] = reads
  const on = `(${run.database})`
  return {
    measurements: [...reads, run.create, login, run.storm.alone, run.storm.beside],
    targets: [
      target(`GET /api/posts req/s / baseline ${on}`, posts!.versus!.ratio, '>=', 0.35),
      target(`GET /api/users/me req/s / baseline ${on}`, me!.versus!.ratio, '>=', 0.5),
      target(`login req/s / raw argon2 verify ${on}`, login.versus!.ratio, '>=', 0.9),
      target(`GET /api/posts p99 beside a login storm / alone ${on}`, run.storm.beside.versus!.ratio, '<=', 3),
    ],
  }
}

interface Report {
  date: string
  machine: Machine
  settings: typeof SETTINGS
  seconds: number
  databases: string[]
  measurements: Measurement[]
  targets: Target[]
}

async function main(): Promise<Report> {
  const machine = describeMachine()
  buildIfStale()
  const postgresServer = await reachablePostgresServer()
  const runs = [await measureDatabase('sqlite', `sqlite:${join(workDir, 'blog.db')}`)]
  if (postgresServer) {
    const scratch = await createScratchDatabase(postgresServer, 'blog_bench')
    dropScratchDatabase = scratch.drop
    try {
      runs.push(await measureDatabase('postgresql', scratch.url))
    } finally {
      dropScratchDatabase = async () => {}
      await scratch.drop()
    }
  }

  // Measured once, they serve every database.
  console.error('Measuring the references:')
  const baseline = await measureBaseline(runs[0]!.pageBody)
  const floor = await measureArgon2Floor()
  const compared = runs.map((run) => compare(run, baseline, floor))
  return {
    date: new Date().toISOString(),
    machine,
    settings: SETTINGS,
    seconds: (performance.now() - started) / 1000,
    databases: runs.map((run) => run.database),
    measurements: [baseline, floor, ...compared.flatMap((c) => c.measurements)],
    targets: compared.flatMap((c) => c.targets),
  }
}

const report = await main()
mkdirSync(SETTINGS.resultsDir, { recursive: true })
const output = join(SETTINGS.resultsDir, 'latest.json')
writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`)
console.log(`\n${formatTable(report.measurements)}\n`)
console.log(`Targets:\n${formatTargets(report.targets)}\n`)
console.log(`Machine: ${formatMachine(report.machine)}`)
console.log(`Ran in ${report.seconds.toFixed(0)} s; written to ${output}`)
