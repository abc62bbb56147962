import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

const READY_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 5_000
const OUTPUT_TAIL_CHARS = 4_000

export interface RunningProcess {
  pid: number
  /** Throws an error carrying the process's last output if it has died. */
  assertAlive(): void
  /** Peak resident memory (VmHWM) since start or the last reset, in bytes. */
  peakRssBytes(): number
  /** Resets VmHWM to the current RSS, so the next reading is the peak of what follows. */
  resetPeakRss(): void
  /** CPU time (user + system, every thread) the process has used so far, in seconds. */
  cpuSeconds(): number
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

  return {
    pid,
    assertAlive,
    peakRssBytes: () => {
      const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
      if (kib === undefined) throw new Error(`no VmHWM for ${pid}`)
      return Number(kib) * 1024
    },
    resetPeakRss: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock
      // ticks; USER_HZ is 100 on every Linux architecture Node supports.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
      return (Number(fields[11]) + Number(fields[12])) / 100
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

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await response.arrayBuffer()
    return true
  } catch {
    return false
  }
}
