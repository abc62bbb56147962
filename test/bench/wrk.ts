import { spawn } from 'node:child_process'
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const SCRIPT = 'test/bench/wrk.lua'

/** One closed-loop HTTP scenario: what wrk sends, and on how many connections. */
export interface HttpScenario {
  method: 'GET' | 'POST'
  /** Sent in turn when there are several (a different post or user on each request). */
  paths: string[]
  headers?: Record<string, string>
  /** One line (a JSON or form body). */
  body?: string
  connections: number
}

/** What wrk's done() reports (test/bench/wrk.lua), plus the CPU wrk itself used. */
export interface WrkResult {
  requests: number
  durationUs: number
  bytes: number
  /** wrk counts a status error for an answer of 400 or more only; a 3xx is not counted. */
  errors: { connect: number; read: number; write: number; status: number; timeout: number }
  latencyUs: { p50: number; p99: number; max: number }
  /** User and system CPU of the wrk process, when it was the only child to end meanwhile. */
  cpuSeconds: number
}

export interface Wrk {
  done: Promise<WrkResult>
  /** Ends wrk early (it still reports what it measured). */
  stop(): void
}

/** Stops the run at once, with one line, when wrk is not installed. */
export function requireWrk(): void {
  const found = (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir || '.', 'wrk'), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
  if (found) return
  console.error('The benchmark needs wrk, which is not on PATH: install it with `apt-get install wrk` (Debian, Ubuntu).')
  process.exit(1)
}

/**
 * CPU time of this process's children that have ended and been waited for (cutime + cstime in
 * /proc/self/stat), in seconds. Node waits for a child as soon as it ends, so the difference
 * across one wrk run is wrk's own CPU, as long as no other child ended meanwhile.
 */
function endedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / 100
}

let scenarioFiles = 0

/**
 * Runs `wrk -t1` against `origin` for `seconds`: one thread, so the load generator keeps its
 * own CPU small on a small machine. `workDir` holds the scenario file the Lua script reads.
 */
export function startWrk(origin: string, scenario: HttpScenario, seconds: number, workDir: string): Wrk {
  const file = join(workDir, `wrk-scenario-${++scenarioFiles}.txt`)
  const lines = [
    `method ${scenario.method}`,
    ...Object.entries(scenario.headers ?? {}).map(([name, value]) => `header ${name}: ${value}`),
    ...(scenario.body === undefined ? [] : [`body ${scenario.body}`]),
    ...scenario.paths.map((path) => `path ${path}`),
  ]
  if (lines.some((line) => line.includes('\n'))) throw new Error('a wrk scenario line holds a line break')
  writeFileSync(file, `${lines.join('\n')}\n`)

  const args = ['-t1', `-c${scenario.connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', SCRIPT, `${origin}${scenario.paths[0]}`]
  const cpuBefore = endedChildrenCpuSeconds()
  const child = spawn('wrk', args, { env: { PATH: process.env.PATH ?? '', WRK_SCENARIO: file }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<WrkResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      const line = stdout.split('\n').findLast((l) => l.startsWith('{'))
      if (line === undefined) {
        reject(new Error(`wrk ${args.join(' ')} ended (${code ?? signal}) without a result:\n${stdout}${stderr}`))
        return
      }
      resolve({ ...(JSON.parse(line) as Omit<WrkResult, 'cpuSeconds'>), cpuSeconds: endedChildrenCpuSeconds() - cpuBefore })
    })
  })
  // wrk prints its summary and calls done() when interrupted.
  return { done, stop: () => child.kill('SIGINT') }
}

export function wrkErrors(result: WrkResult): number {
  const { connect, read, write, status, timeout } = result.errors
  return connect + read + write + status + timeout
}
