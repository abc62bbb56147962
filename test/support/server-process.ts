import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach } from 'vitest'
import { serverDatabaseUrl } from './database.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const TSX_LOADER = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url))
const SERVER = join(ROOT, 'src/server.ts')
// A cluster (WEB_CONCURRENCY) starts three processes, which takes a while on a busy machine.
const STARTUP_LIMIT_MS = 30_000

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ServerProcess {
  origin: string
  port: number
  child: ChildProcess
  exited: Promise<Exit>
  output: () => string
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export const randomSecretKey = () => randomBytes(32).toString('hex')

export interface SpawnOptions {
  databaseUrl: string
  /** None: the server finds its key in `.env` in `cwd`, or writes one there. */
  secretKey: string | undefined
  port: number
  /** The folder it runs in; by default the project's. */
  cwd?: string
  env?: Record<string, string>
  /** A network namespace to run it in (`ip netns exec`; see netns.ts); by default the test's own. */
  netns?: string
}

/**
 * Runs src/server.ts as its own process, as `npm start` would (but through tsx, so no build is
 * needed), without waiting for it to listen.
 */
export function spawnServer({ databaseUrl, secretKey, port, cwd = ROOT, env, netns }: SpawnOptions): ServerProcess {
  // ip netns exec execs the command, so the child is still the server's own process.
  const [command, ...args] = [...(netns ? ['ip', 'netns', 'exec', netns] : []), process.execPath, '--import', TSX_LOADER, SERVER]
  const child = spawn(command!, args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SECRET_KEY: secretKey,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_REQUESTS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { origin: `http://127.0.0.1:${port}`, port, child, exited, output: () => output }
}

/** Resolves once the server logs that it is listening; kills it if it does not in time. */
export async function untilListening({ child, output }: ServerProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within ${STARTUP_LIMIT_MS} ms`)), STARTUP_LIMIT_MS)
    const onData = () => {
      if (output().includes('"msg":"Listening on')) done()
    }
    const onExit = (code: number | null) => fail(new Error(`server exited with ${code} while starting`))
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout!.off('data', onData)
      child.off('exit', onExit)
    }
    const done = () => (cleanup(), resolve())
    const fail = (error: Error) => (cleanup(), child.kill('SIGKILL'), reject(new Error(`${error.message}\n${output()}`)))
    child.stdout!.on('data', onData)
    child.once('exit', onExit)
  })
}

/** Starts the server on a free port and resolves once it logs that it is listening. */
export async function startServer(options: Omit<SpawnOptions, 'port'>): Promise<ServerProcess> {
  const server = spawnServer({ ...options, port: await freePort() })
  await untilListening(server)
  return server
}

export type LogEntry = Record<string, unknown>

/** The JSON lines the server has logged so far, in order (other output is left out). */
export function logEntries(server: ServerProcess): LogEntry[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry)
}

/** Resolves to the first entry the server logs that matches, waiting for it up to `limitMs`. */
export async function waitForLogEntry(server: ServerProcess, matches: (entry: LogEntry) => boolean, limitMs = 10_000): Promise<LogEntry> {
  const deadline = performance.now() + limitMs
  for (;;) {
    const entry = logEntries(server).find(matches)
    if (entry) return entry
    if (performance.now() > deadline) throw new Error(`no such log entry within ${limitMs} ms:\n${server.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Kills a server a test left running, so no process outlives its test file. */
export async function killIfRunning(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return
  server.child.kill('SIGKILL')
  await server.exited
}

export interface ServerProcesses {
  /** The database every server this test starts uses: a SQLite file, or a PostgreSQL database. */
  readonly databaseUrl: string
  /** This test's temporary folder. */
  readonly dir: string
  /** The SECRET_KEY every server this test starts gets. */
  readonly secretKey: string
  /** Starts the server on this test's database with this test's secret key (the same on a restart). */
  start(env?: Record<string, string>): Promise<ServerProcess>
  /** Spawns the server on `port` without waiting for it to listen; otherwise like `start`. */
  spawn(options: Partial<SpawnOptions> & { port: number }): ServerProcess
}

/**
 * For each test of the calling file: a fresh temporary folder, database of this pass and secret
 * key. Every server the test starts is killed after it, if it still runs, then the folder and
 * the database are removed.
 */
export function useServerProcesses(prefix: string): ServerProcesses {
  let dir = ''
  let secretKey = ''
  let database = { url: '', drop: async () => {} }
  let started: ServerProcess[] = []

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    secretKey = randomSecretKey()
    database = await serverDatabaseUrl(dir)
  })

  afterEach(async () => {
    await Promise.all(started.map(killIfRunning))
    started = []
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  return {
    get databaseUrl() {
      return database.url
    },
    get dir() {
      return dir
    },
    get secretKey() {
      return secretKey
    },
    async start(env) {
      const server = spawnServer({ databaseUrl: database.url, secretKey, port: await freePort(), env })
      started.push(server)
      await untilListening(server)
      return server
    },
    spawn(options) {
      const server = spawnServer({ databaseUrl: database.url, secretKey, ...options })
      started.push(server)
      return server
    },
  }
}
