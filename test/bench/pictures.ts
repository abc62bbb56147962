import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { MAX_INPUT_PIXELS } from '../../src/routes/pictures/pictures.processing.js'
import { buildIfStale } from './build.js'
import { bytesToMiB } from './measurement.js'
import { logIn, startService } from './service.js'

// Profile picture uploads against the built service on a temporary SQLite file:
//   npx tsx test/bench/pictures.ts
// 1. one 12-megapixel phone-sized JPEG (4000x3000) uploaded 5 times in a row: bytes in and out,
//    time and server CPU per upload;
// 2. 10 such uploads at once (10 users): the service's peak RSS, and how long a reader sending
//    GET /api/posts waited meanwhile (and, for comparison, for a second without uploads);
// 3. the largest image accepted, a PNG of MAX_INPUT_PIXELS (25 megapixels), on its own: its
//    time and peak RSS.

const SEQUENTIAL = 5
const PARALLEL = 10

// The reader runs in a process of its own, so that sending the uploads does not delay it here.
const READER = `
  const waits = []
  let reading = true
  process.on('message', () => { reading = false })
  ;(async () => {
    while (reading) {
      const started = performance.now()
      await (await fetch(process.argv[1] + '/api/posts')).arrayBuffer()
      waits.push(performance.now() - started)
    }
    process.send(waits, () => process.exit(0))
  })()`

buildIfStale()
const workDir = mkdtempSync(join(tmpdir(), 'blog-bench-pictures-'))
// Room in the picture queue for all ten at once (one being made, nine waiting).
const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PICTURE_QUEUE_MAX: String(PARALLEL - 1) }
const { server, origin } = await startService(`sqlite:${join(workDir, 'blog.db')}`, env)

try {
  const photo = await phoneSizedJpeg()
  const side = Math.floor(Math.sqrt(MAX_INPUT_PIXELS))
  const largest = await sharp({ create: { width: side, height: side, channels: 3, background: '#5a82aa' } }).png().toBuffer()

  const users = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => signUp(`picture${i}`)))

  // After a reset, the peak is the RSS of the moment.
  const rssNow = () => (server.resetPeakRss(), bytesToMiB(server.peakRssBytes()).toFixed(0))
  console.log(`RSS after signing up ${PARALLEL} users (Argon2 included): ${rssNow()} MiB`)
  const times: number[] = []
  const cpu: number[] = []
  let stored = 0
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const cpuBefore = server.cpuSnapshot()
    const started = performance.now()
    const name = await upload(users[0]!, photo)
    times.push(performance.now() - started)
    cpu.push(server.cpuSecondsSince(cpuBefore))
    stored = (await (await fetch(`${origin}/media/profile_pics/${name}`)).arrayBuffer()).byteLength
  }
  console.log(`12 MP JPEG, ${photo.length} bytes (${bytesToMiB(photo.length).toFixed(2)} MiB) in, ${stored} bytes of WebP stored`)
  console.log(`  time per upload, ${SEQUENTIAL} in a row: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`)
  console.log(`  server CPU per upload: median ${(median(cpu) * 1000).toFixed(0)} ms; peak RSS ${bytesToMiB(server.peakRssBytes()).toFixed(0)} MiB`)

  const quiet = await whileReading(() => new Promise((resolve) => setTimeout(resolve, 1000)))
  const before = rssNow()
  let elapsed = 0
  const busy = await whileReading(async () => {
    const started = performance.now()
    await Promise.all(users.map((user) => upload(user, photo)))
    elapsed = performance.now() - started
  })
  console.log(
    `${PARALLEL} uploads at once: all done in ${elapsed.toFixed(0)} ms; peak RSS ${bytesToMiB(server.peakRssBytes()).toFixed(0)} MiB ` +
      `(RSS before them: ${before} MiB)`,
  )
  console.log(`  GET /api/posts in a loop meanwhile: ${describeWaits(busy)}; for 1 s without uploads: ${describeWaits(quiet)}`)

  const beforeLargest = rssNow()
  const largestStarted = performance.now()
  await upload(users[1]!, largest)
  console.log(
    `${side}x${side} PNG (${largest.length} bytes): ${(performance.now() - largestStarted).toFixed(0)} ms, peak RSS ${bytesToMiB(server.peakRssBytes()).toFixed(0)} MiB (RSS before: ${beforeLargest} MiB)`,
  )
} finally {
  await server.stop()
  rmSync(workDir, { recursive: true, force: true })
}

/** About what a phone takes: 4000x3000, smooth shapes with grain, 3.4 MiB at JPEG quality 90. */
async function phoneSizedJpeg(): Promise<Buffer> {
  const noise = (width: number, height: number, sigma: number) =>
    sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma } } }).png().toBuffer()
  const shapes = await sharp(await noise(80, 60, 60)).resize(4000, 3000, { kernel: 'cubic' }).png().toBuffer()
  return sharp(shapes).composite([{ input: await noise(4000, 3000, 12), blend: 'overlay' }]).jpeg({ quality: 90 }).toBuffer()
}

/** Runs `action` while a reader sends GET /api/posts one after another; returns its waits (ms). */
async function whileReading(action: () => Promise<unknown>): Promise<number[]> {
  const reader = fork('-e', [READER, origin], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const waits = new Promise<number[]>((resolve) => reader.once('message', (message) => resolve(message as number[])))
  await new Promise((resolve) => setTimeout(resolve, 200))
  await action()
  reader.send('stop')
  return waits
}

function describeWaits(waits: number[]): string {
  const sorted = [...waits].sort((a, b) => a - b)
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!
  return `${waits.length} reads, median ${median(waits).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, slowest ${sorted.at(-1)!.toFixed(0)} ms`
}

interface BenchUser {
  id: number
  token: string
}

async function signUp(name: string): Promise<BenchUser> {
  const body = { username: name, email: `${name}@example.com`, password: 'a long enough password' }
  const response = await fetch(`${origin}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const { id } = (await response.json()) as { id: number }
  return { id, token: await logIn(origin, body.email, body.password) }
}

async function upload(user: BenchUser, bytes: Buffer): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)]), 'photo.jpg')
  const response = await fetch(`${origin}/api/users/${user.id}/picture`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${user.token}` },
    body: form,
  })
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { image_file: string }).image_file
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
