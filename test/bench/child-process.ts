import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

const READY_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 5_000
const OUTPUT_TAIL_CHARS = 4_000

export interface RunningProcess {
  pid: number
  /** Throws an error carrying the process's last output if it has died. */
  assertAlive(): void
  /** The process and every process it started (worker processes), by pid. */
  processes(): number[]
  /**
   * Waits until the number of processes has stayed the same for a second (worker processes
   * starting), at most `timeoutMs`, and returns that number.
   */
  settle(timeoutMs?: number): Promise<number>
  /** The sum over the processes of each one's peak resident memory (VmHWM) since start or the last reset, in bytes. */
  peakRssBytes(): number
  /** Resets every process's VmHWM to its current RSS, so the next reading is the peak of what follows. */
  resetPeakRss(): void
  /** CPU time (user + system, every thread) each process has used so far, in seconds, by pid. */
  cpuSnapshot(): Map<number, number>
  /** CPU seconds all the processes used since `snapshot`; a process started since counts whole. */
  cpuSecondsSince(snapshot: Map<number, number>): number
  stop(): Promise<void>
}

/** A free TCP port on 127.0.0.1, as the kernel hands one out for port 0. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts `node <args>` with exactly the given environment and waits until `readyUrl` answers.
 * The child's output is kept (its tail only) for the error message if it dies.
 */
export async function startNode(args: string[], env: Record<string, string>, readyUrl: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  exited.then(() => running.delete(child))

  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start node ${args.join(' ')}`)
  const assertAlive = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`node ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}):\n${output}`)
    }
  }

  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    assertAlive()
    if (await answers(readyUrl)) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`node ${args.join(' ')} did not answer ${readyUrl} within ${READY_TIMEOUT_MS} ms:\n${output}`)
    }
    await sleep(100)
  }

  const processes = () => processTree(pid)
  const cpuSnapshot = () => new Map(processes().flatMap((p) => {
    const seconds = cpuSeconds(p)
    return seconds === undefined ? [] : [[p, seconds] as const]
  }))
  return {
    pid,
    assertAlive,
    processes,
    settle: async (timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs
      let count = processes().length
      let since = Date.now()
      while (Date.now() - since < 1_000 && Date.now() < until) {
        await sleep(100)
        const now = processes().length
        if (now !== count) [count, since] = [now, Date.now()]
      }
      return count
    },
    peakRssBytes: () => processes().reduce((sum, p) => sum + (peakRss(p) ?? 0), 0),
    resetPeakRss: () => {
      for (const p of processes()) {
        try {
          writeFileSync(`/proc/${p}/clear_refs`, '5')
        } catch {
          // The process ended meanwhile.
        }
      }
    },
    cpuSnapshot,
    cpuSecondsSince: (snapshot) => {
      let total = 0
      for (const [p, seconds] of cpuSnapshot()) total += seconds - (snapshot.get(p) ?? 0)
      return total
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS, false)])
      if (!stopped) child.kill('SIGKILL')
      await exited
    },
  }
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process ended
  }
}

/** `pid` and all its descendants, from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`)
    } catch {
      return []
    }
  })()
  const children = tasks.flatMap((tid) => (readProc(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter(Boolean).map(Number))
  return [pid, ...children.flatMap(processTree)]
}

/**
 * Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks;
 * USER_HZ is 100 on every Linux architecture Node supports.
 */
function cpuSeconds(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function peakRss(pid: number): number | undefined {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readProc(`/proc/${pid}/status`) ?? '')?.[1]
  return kib === undefined ? undefined : Number(kib) * 1024
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await response.arrayBuffer()
    return true
  } catch {
    return false
  }
}
