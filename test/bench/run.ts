import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import type { FloorResult } from './argon2-floor.js'
import { buildIfStale } from './build.js'
import { freePort, startNode, type RunningProcess } from './child-process.js'
import { checkGoals, type Figure, type GoalCheck } from './goals.js'
import { startLoad, type LoadOptions } from './load.js'
import { describeMachine, type Machine } from './machine.js'
import {
  bytesToMiB,
  fromAutocannon,
  fromWrk,
  p99Versus,
  throughputVersus,
  withBaseline,
  type Measurement,
  type ScenarioKey,
  type Where,
} from './measurement.js'
import { reachablePostgresServer } from './postgres.js'
import { formatGoals, formatMachine, formatTable } from './report.js'
import { createPostScenario, loginScenario, readScenarios, stormProbe, type Scenario } from './scenarios.js'
import { hashPassword, removePostsAfter, seedDatabase, type Seeded } from './seed.js'
import { logIn, startService } from './service.js'
import { SETTINGS } from './settings.js'
import { requireWrk, startWrk, type HttpScenario } from './wrk.js'

const started = performance.now()
requireWrk()

/** Set while a scratch PostgreSQL database exists, so that every way out drops it. */
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

// The bench's concurrent logins all come from 127.0.0.1, where real ones come from as many
// addresses; the service's per-address hashing queue (3 places by default) would answer the
// fourth with a quick 503 instead of hashing. Twice the logins: those the warm-up left running
// when it stopped still hold their places as the measured run starts.
const serviceEnv = { ...baseEnv, HASHING_QUEUE_MAX_PER_CLIENT: String(2 * SETTINGS.loginConcurrency) }

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1)
const count = (n: number) => n.toLocaleString('en-US')

/** A wrk warm-up whose figures are dropped, then the measured wrk run. */
async function measureWrk(scenario: Scenario, where: Where | undefined, server: RunningProcess, origin: string): Promise<Measurement> {
  console.error(`  ${scenario.name}`)
  server.resetPeakRss()
  await startWrk(origin, scenario.http, SETTINGS.warmupSeconds, workDir).done
  const cpuBefore = server.cpuSnapshot()
  const result = await startWrk(origin, scenario.http, SETTINGS.measureSeconds, workDir).done
  const cpuSeconds = server.cpuSecondsSince(cpuBefore)
  server.assertAlive()
  return fromWrk(scenario.key, scenario.name, where, result, { cpuSeconds, peakRssBytes: server.peakRssBytes() })
}

/** The same with autocannon, for the paced reader of the login storm. */
async function measureAutocannon(key: ScenarioKey, name: string, where: Where, server: RunningProcess, options: LoadOptions): Promise<Measurement> {
  console.error(`  ${name}`)
  server.resetPeakRss()
  await startLoad(options, SETTINGS.warmupSeconds).done
  const cpuBefore = server.cpuSnapshot()
  const result = await startLoad(options, SETTINGS.measureSeconds).done
  const cpuSeconds = server.cpuSecondsSince(cpuBefore)
  server.assertAlive()
  return fromAutocannon(key, name, where, result, { cpuSeconds, peakRssBytes: server.peakRssBytes() })
}

async function measureBaseline(pageBody: string, when: string): Promise<Measurement> {
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
    const http: HttpScenario = { method: 'GET', paths: ['/api/posts'], connections: SETTINGS.connections }
    return await measureWrk({ key: 'baseline', name: `baseline: bare Hono, same JSON, ${when}`, http }, undefined, baseline, origin)
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
    key: 'argon2',
    scenario,
    requestsPerSecond: floor.verifications / floor.seconds,
    p50Ms: floor.latenciesMs.p50,
    p99Ms: floor.latenciesMs.p99,
    errors: 0,
    cpuMsPerRequest: (floor.cpuSeconds * 1000) / floor.verifications,
    loadCpuMsPerRequest: null,
    peakRssMiB: bytesToMiB(floor.peakRssBytes),
  }
}

/** The paced GET /api/posts reader, alone and then beside a login storm (wrk) that outlasts it. */
async function measureLoginStorm(where: Where, server: RunningProcess, origin: string, email: string): Promise<Measurement[]> {
  const probe = stormProbe(origin)
  const name = `GET /api/posts, steady ${SETTINGS.stormProbe.requestsPerSecond} req/s`
  const alone = await measureAutocannon('stormAlone', name, where, server, probe)
  const storm = startWrk(origin, loginScenario(email).http, SETTINGS.warmupSeconds + SETTINGS.measureSeconds + 3, workDir)
  try {
    const beside = await measureAutocannon('stormBeside', `${name} + login storm`, where, server, probe)
    // The storm's hashing runs in the same processes, so their CPU per read says nothing.
    return [alone, p99Versus({ ...beside, cpuMsPerRequest: null }, alone, 'alone')]
  } finally {
    storm.stop()
    await storm.done
  }
}

/** Every answer a scenario will get must be a success: one request to each path before measuring. */
async function assertAnswers(origin: string, scenarios: Scenario[]): Promise<void> {
  for (const { name, http } of scenarios) {
    for (const path of [http.paths[0]!, http.paths.at(-1)!]) {
      const response = await fetch(`${origin}${path}`, { headers: http.headers ?? {} })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`${name}: GET ${path} answered ${response.status}`)
    }
  }
}

/**
 * Starts the service with `workers` on a seeded database and measures the reads; on the
 * smallest size also the writes, the logins and the login storm (and afterwards removes the
 * posts they wrote). Returns the measurements and the service's first page of posts.
 */
async function measureService(database: string, url: string, seeded: Seeded, workers: number) {
  const withWrites = seeded.posts === SETTINGS.sizes[0]
  const { server, origin, processes } = await startService(url, serviceEnv, workers)
  const where: Where = { database, posts: seeded.posts, workers, processes }
  const measurements: Measurement[] = []
  let pageBody: string
  try {
    console.error(`${database}, ${count(seeded.posts)} posts, WEB_CONCURRENCY=${workers} (${processes} process${processes > 1 ? 'es' : ''}):`)
    const token = await logIn(origin, seeded.email, SETTINGS.password)
    pageBody = await (await fetch(`${origin}/api/posts`)).text()
    const reads = readScenarios(seeded, token)
    await assertAnswers(origin, reads)
    for (const scenario of reads) measurements.push(await measureWrk(scenario, where, server, origin))
    if (withWrites) {
      // After the reads, which then all see the seeded table, and before any login, whose Argon2
      // memory the allocator keeps for a while and would show in this row's peak RSS.
      measurements.push(await measureWrk(createPostScenario(token), where, server, origin))
      measurements.push(await measureWrk(loginScenario(seeded.email), where, server, origin))
      measurements.push(...(await measureLoginStorm(where, server, origin, seeded.email)))
    }
  } finally {
    await server.stop()
  }
  if (withWrites) await removePostsAfter(url, seeded.postIds.last)
  return { measurements, pageBody }
}

/** A fresh database per size: a SQLite file in the work folder, or a scratch PostgreSQL database. */
interface Database {
  name: string
  create(posts: number): Promise<{ url: string; drop: () => Promise<void> }>
}

const sqlite: Database = {
  name: 'sqlite',
  create: async (posts) => {
    const file = join(workDir, `blog-${posts}.db`)
    const drop = async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
    }
    return { url: `sqlite:${file}`, drop }
  },
}

function postgresql(serverUrl: string): Database {
  return { name: 'postgresql', create: () => createScratchDatabase(serverUrl, 'blog_bench') }
}

interface Seeding {
  database: string
  posts: number
  seconds: number
}

interface Report {
  date: string
  machine: Machine
  settings: typeof SETTINGS
  seconds: number
  databases: string[]
  seeding: Seeding[]
  measurements: Measurement[]
  goals: GoalCheck[]
  figures: Figure[]
}

async function main(): Promise<Report> {
  const machine = describeMachine()
  buildIfStale()
  const postgresServer = await reachablePostgresServer()
  const databases = [sqlite, ...(postgresServer ? [postgresql(postgresServer)] : [])]
  // One Argon2 hash for every seeded user of every database.
  const passwordHash = await hashPassword(SETTINGS.password)

  const measurements: Measurement[] = []
  const seeding: Seeding[] = []
  // The baseline runs twice: early, on a machine nothing else has used yet, and at the end; the
  // faster run is the one every read is compared with, so no ratio gains from a slow baseline.
  let earlyBaseline: Measurement | undefined
  let pageBody: string | undefined
  for (const database of databases) {
    for (const posts of SETTINGS.sizes) {
      const scratch = await database.create(posts)
      dropScratchDatabase = scratch.drop
      try {
        console.error(`Seeding ${count(SETTINGS.users)} users and ${count(posts)} posts in ${database.name} ...`)
        const seedStarted = performance.now()
        const seeded = await seedDatabase(scratch.url, { users: SETTINGS.users, posts }, passwordHash)
        seeding.push({ database: database.name, posts, seconds: (performance.now() - seedStarted) / 1000 })
        console.error(`  seeded in ${seconds(seedStarted)} s`)
        for (const workers of SETTINGS.workerCounts) {
          const pass = await measureService(database.name, scratch.url, seeded, workers)
          measurements.push(...pass.measurements)
          pageBody ??= pass.pageBody
          if (!earlyBaseline) {
            console.error('Measuring the baseline, after the first pass:')
            earlyBaseline = await measureBaseline(pageBody, 'after the first pass')
          }
        }
      } finally {
        dropScratchDatabase = async () => {}
        await scratch.drop()
      }
    }
  }

  // Measured once, they serve every database.
  console.error('Measuring the references:')
  const lateBaseline = await measureBaseline(pageBody!, 'at the end')
  const [baseline, slower] = [earlyBaseline!, lateBaseline].sort((a, b) => b.requestsPerSecond - a.requestsPerSecond) as [Measurement, Measurement]
  const floor = await measureArgon2Floor()
  const compared = measurements.map((m) => {
    if (m.key === 'login') return throughputVersus(m, floor, 'raw argon2')
    if (m.key === 'createPost' || m.key.startsWith('storm')) return m
    return withBaseline(m, baseline)
  })
  const all = [baseline, { ...slower, key: 'baselineSlower' as const }, floor, ...compared]
  const { checks, figures } = checkGoals(all, databases.map((d) => d.name))
  return {
    date: new Date().toISOString(),
    machine,
    settings: SETTINGS,
    seconds: (performance.now() - started) / 1000,
    databases: databases.map((d) => d.name),
    seeding,
    measurements: all,
    goals: checks,
    figures,
  }
}

const report = await main()
mkdirSync(SETTINGS.resultsDir, { recursive: true })
const output = join(SETTINGS.resultsDir, 'latest.json')
writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`)
console.log(`\n${formatTable(report.measurements)}\n`)
console.log(`Seeding: ${report.seeding.map((s) => `${s.database} ${count(s.posts)} posts ${s.seconds.toFixed(1)} s`).join('; ')}\n`)
console.log(`${formatGoals(report.goals, report.figures)}\n`)
console.log(`Machine: ${formatMachine(report.machine)}`)
console.log(`Ran in ${report.seconds.toFixed(0)} s; written to ${output}`)
