/**
 * Raw Argon2 verification in a process of its own: `concurrency` loops, each verifying the
 * correct password against one hash made with the service's parameters, straight through the
 * argon2 library, for a warm-up and then a measured time. Prints one JSON line.
 *
 * Usage: node --import tsx test/bench/argon2-floor.ts <concurrency> <warmupSeconds> <measureSeconds>
 */
import { readFileSync } from 'node:fs'
import argon2 from 'argon2'
import { ARGON2_PARAMS } from '../../src/auth/passwords.js'

export interface FloorResult {
  verifications: number
  seconds: number
  latenciesMs: { p50: number; p99: number }
  cpuSeconds: number
  peakRssBytes: number
}

const [concurrency, warmupSeconds, measureSeconds] = process.argv.slice(2).map(Number)
if (!concurrency || warmupSeconds === undefined || !measureSeconds) {
  throw new Error('usage: argon2-floor.ts <concurrency> <warmupSeconds> <measureSeconds>')
}

const password = 'argon2-floor-password'
const hash = await argon2.hash(password, { type: argon2.argon2id, ...ARGON2_PARAMS })

async function verifyUntil(deadline: number, latencies?: number[]): Promise<void> {
  while (performance.now() < deadline) {
    const started = performance.now()
    if (!(await argon2.verify(hash, password))) throw new Error('verification failed')
    latencies?.push(performance.now() - started)
  }
}

function loops(seconds: number, latencies?: number[]): Promise<void[]> {
  const deadline = performance.now() + seconds * 1000
  return Promise.all(Array.from({ length: concurrency! }, () => verifyUntil(deadline, latencies)))
}

await loops(warmupSeconds)
const latencies: number[] = []
const started = performance.now()
const cpuBefore = process.cpuUsage()
await loops(measureSeconds, latencies)
const cpu = process.cpuUsage(cpuBefore)
const seconds = (performance.now() - started) / 1000

latencies.sort((a, b) => a - b)
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'

const result: FloorResult = {
  verifications: latencies.length,
  seconds,
  latenciesMs: { p50: percentile(50), p99: percentile(99) },
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  peakRssBytes: Number(kib) * 1024,
}
console.log(JSON.stringify(result))
