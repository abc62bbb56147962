import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { craftedPng } from '../support/images.js'
import { buildIfStale } from './build.js'
import { bytesToMiB } from './measurement.js'
import { logIn, startService } from './service.js'

// The picture queue under the loads of issues 18 and 19, against the built service on a
// temporary SQLite file, with its default picture settings, each scenario on a service of its own:
//   npx tsx test/bench/picture-queue.ts
// 1. 40 and then 150 uploads at once of a 4 MiB photo, one per user: the service's peak RSS,
//    the answers, and how GET /api/posts fared meanwhile (from a process of its own);
// 2. one user sending 40 tiny PNGs at once, 8-bit and 16-bit interlaced, of 39.7 megapixels (past
//    MAX_INPUT_PIXELS now) and of 25 (the most accepted), and 100 ms in, another user's upload of
//    a 1 MiB photo: how long it took, against the same upload alone.

const FLOOD = 40
const READER = `
  const waits = []
  const statuses = {}
  let reading = true
  process.on('message', () => { reading = false })
  ;(async () => {
    while (reading) {
      const started = performance.now()
      const response = await fetch(process.argv[1] + '/api/posts')
      await response.arrayBuffer()
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      waits.push(performance.now() - started)
    }
    process.send({ waits, statuses }, () => process.exit(0))
  })()`

interface BenchUser {
  id: number
  token: string
}

buildIfStale()
const env = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'production',
  // Every user here signs up from 127.0.0.1.
  REGISTER_MAX_PER_CLIENT: '100000',
  HASHING_QUEUE_MAX: '1000',
  HASHING_QUEUE_MAX_PER_CLIENT: '1000',
}
const blobs = new WeakMap<Buffer, Blob>()
let sequence = 0

type Service = Awaited<ReturnType<typeof startService>>

/** Each scenario on a service of its own, so that no peak of one is the start of the next. */
async function withService(action: (service: Service) => Promise<void>): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'blog-bench-picture-queue-'))
  const service = await startService(`sqlite:${join(workDir, 'blog.db')}`, env)
  try {
    await action(service)
  } finally {
    await service.server.stop()
    rmSync(workDir, { recursive: true, force: true })
  }
}

const photo = await photoOf(4 * 1024 * 1024)
const smallPhoto = await photoOf(1024 * 1024)

for (const count of [40, 150]) {
  await withService(async ({ server, origin }) => {
    const users = await signUpMany(origin, count)
    const before = rssNow(server)
    let statuses: Record<number, number> = {}
    let elapsed = 0
    const reads = await whileReading(origin, async () => {
      const started = performance.now()
      statuses = tally(await Promise.all(users.map((user) => upload(origin, user, photo))))
      elapsed = performance.now() - started
    })
    console.log(
      `${count} uploads of a ${bytesToMiB(photo.length).toFixed(2)} MiB photo at once, one per user: peak RSS ${peakRss(server)} MiB ` +
        `(${before} MiB before); answers ${JSON.stringify(statuses)} in ${elapsed.toFixed(0)} ms`,
    )
    console.log(`  GET /api/posts meanwhile: ${describeReads(reads)}`)
  })
}

// Tiny files that declare many pixels: an 8-bit PNG all black is read row by row; a 16-bit RGBA
// interlaced one must be decoded whole, 8 bytes a pixel, before it can be scaled down.
const floods: { what: string; width: number; height: number; make: (width: number, height: number) => Buffer | Promise<Buffer> }[] = [
  { what: '8-bit RGB PNGs', width: 7300, height: 5440, make: craftedPng },
  { what: '8-bit RGB PNGs', width: 5000, height: 5000, make: craftedPng },
  { what: '16-bit RGBA interlaced PNGs', width: 7300, height: 5440, make: interlacedPng },
  { what: '16-bit RGBA interlaced PNGs', width: 5000, height: 5000, make: interlacedPng },
]
for (const { what, width, height, make } of floods) {
  const png = await make(width, height)
  await withService(async ({ server, origin }) => {
    const [flooder, victim] = await signUpMany(origin, 2)
    const alone: number[] = []
    for (let i = 0; i < 3; i += 1) alone.push(await timed(() => upload(origin, victim!, smallPhoto)))
    const before = rssNow(server)
    const flood = Promise.all(Array.from({ length: FLOOD }, () => upload(origin, flooder!, png)))
    await new Promise((resolve) => setTimeout(resolve, 100))
    let victimStatus = 0
    const wait = await timed(async () => {
      victimStatus = await upload(origin, victim!, smallPhoto)
    })
    const victimDone = performance.now()
    const floodStatuses = tally(await flood)
    console.log(
      `${FLOOD} ${what} of ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP, ${png.length} bytes) at once from one user: ` +
        `answers ${JSON.stringify(floodStatuses)}, the last ${(performance.now() - victimDone).toFixed(0)} ms after the other user's; ` +
        `peak RSS ${peakRss(server)} MiB (${before} MiB before)`,
    )
    console.log(
      `  another user's ${bytesToMiB(smallPhoto.length).toFixed(2)} MiB photo, 100 ms in: ${victimStatus} in ${wait.toFixed(0)} ms ` +
        `(alone, before: ${alone.map((t) => t.toFixed(0)).join(', ')} ms)`,
    )
  })
}

function interlacedPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
    .toColourspace('rgb16')
    .png({ progressive: true, compressionLevel: 9 })
    .toBuffer()
}

/** A noisy JPEG (noise is what keeps a photo from compressing) of about `bytes` bytes. */
async function photoOf(bytes: number): Promise<Buffer> {
  let side = 1000
  for (;;) {
    const jpeg = await sharp({
      create: { width: Math.round(side * 4 / 3), height: side, channels: 3, background: '#5a82aa', noise: { type: 'gaussian', mean: 128, sigma: 30 } },
    })
      .jpeg({ quality: 90 })
      .toBuffer()
    if (jpeg.length >= bytes * 0.97) return jpeg
    side = Math.round(side * Math.sqrt(bytes / jpeg.length))
  }
}

/** After a reset, the peak is the RSS of the moment. */
function rssNow(server: Service['server']): string {
  server.resetPeakRss()
  return peakRss(server)
}

function peakRss(server: Service['server']): string {
  return bytesToMiB(server.peakRssBytes()).toFixed(0)
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await action()
  return performance.now() - started
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

async function whileReading(origin: string, action: () => Promise<unknown>): Promise<{ waits: number[]; statuses: Record<string, number> }> {
  const reader = fork('-e', [READER, origin], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const result = new Promise<{ waits: number[]; statuses: Record<string, number> }>((resolve) =>
    reader.once('message', (message) => resolve(message as never)),
  )
  await new Promise((resolve) => setTimeout(resolve, 200))
  await action()
  reader.send('stop')
  return result
}

function describeReads({ waits, statuses }: { waits: number[]; statuses: Record<string, number> }): string {
  const sorted = [...waits].sort((a, b) => a - b)
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0
  return `${waits.length} reads ${JSON.stringify(statuses)}, median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, slowest ${(sorted.at(-1) ?? 0).toFixed(0)} ms`
}

async function signUpMany(origin: string, count: number): Promise<BenchUser[]> {
  const users: BenchUser[] = []
  // Four at a time: the service hashes two passwords at once.
  for (let i = 0; i < count; i += 4) {
    users.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, () => signUp(origin, `queue${(sequence += 1)}`)))))
  }
  return users
}

async function signUp(origin: string, name: string): Promise<BenchUser> {
  const body = { username: name, email: `${name}@example.com`, password: 'a long enough password' }
  const response = await fetch(`${origin}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (response.status !== 201) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`)
  const { id } = (await response.json()) as { id: number }
  return { id, token: await logIn(origin, body.email, body.password) }
}

/** One Blob per image, however many uploads send it. */
function blobOf(bytes: Buffer): Blob {
  let blob = blobs.get(bytes)
  if (!blob) blobs.set(bytes, (blob = new Blob([new Uint8Array(bytes)])))
  return blob
}

/** Uploads and answers the status; the body is read and dropped. */
async function upload(origin: string, user: BenchUser, bytes: Buffer): Promise<number> {
  const form = new FormData()
  form.append('file', blobOf(bytes), 'photo')
  try {
    const response = await fetch(`${origin}/api/users/${user.id}/picture`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${user.token}` },
      body: form,
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    // The connection was closed before the answer: counted as 0.
    return 0
  }
}
