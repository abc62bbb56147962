import { readFileSync, writeFileSync } from 'node:fs'
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PICTURE_MAX_BYTES } from '../../src/config/index.js'
import { readBody } from '../support/in-flight.js'
import { noisyJpeg, onePixelPng } from '../support/images.js'
import { WatchedQueue } from '../support/picture-queue.js'
import { startTestServer } from '../support/server.js'
import { useServerProcesses } from '../support/server-process.js'
import { newUser, signUpAt } from '../support/users.js'

const MiB = 1024 * 1024
const BUSY = { detail: 'Too many picture uploads in progress, try again shortly' }

// Every user here signs up from 127.0.0.1.
const SIGN_UPS = { REGISTER_MAX_PER_CLIENT: '1000' }

interface Uploader {
  id: number
  token: string
}

async function signUp(origin: string): Promise<Uploader> {
  const token = await signUpAt(origin, newUser())
  const me = await fetch(`${origin}/api/users/me`, { headers: { Authorization: `Bearer ${token}` } })
  return { id: ((await me.json()) as { id: number }).id, token }
}

/** Resident memory of a process in bytes, now (VmRSS) or at its peak since start or reset (VmHWM). */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kib = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kib) * 1024
}

// A boundary as browsers make them: undici's parser looks for it without its leading dashes, so
// a short one (`x`) may turn up in the picture's bytes (zlib's header is an x).
const BOUNDARY = '----BlogTestBoundary7MA4YWxkTrZu0gW'
const FORM_START = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="picture.png"\r\nContent-Type: image/png\r\n\r\n`
const FORM_END = `\r\n--${BOUNDARY}--\r\n`

/**
 * An upload sent chunked (no Content-Length), its form begun: the test sends the rest when it
 * likes, if ever. The response, and the socket to see it close.
 */
function chunkedUpload(origin: string, user: Uploader, agent?: Agent) {
  const upload: ClientRequest = request(`${origin}/api/users/${user.id}/picture`, {
    method: 'PUT',
    agent,
    headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
  })
  upload.on('error', () => {})
  const answered = new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) =>
    upload.once('response', (response) => readBody(response).then((body) => resolve({ status: response.statusCode!, headers: response.headers, body }), reject)),
  )
  upload.write(FORM_START)
  return { upload, answered }
}

async function uploadOnce(origin: string, user: Uploader, bytes: Buffer | Blob) {
  const form = new FormData()
  form.append('file', bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), 'picture.jpg')
  const response = await fetch(`${origin}/api/users/${user.id}/picture`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${user.token}` },
    body: form,
  })
  return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: await response.text() }
}

describe('picture uploads over real connections', () => {
  const servers = useServerProcesses('blog-picture-uploads-')

  it('stays within its memory bound under 40 uploads at once of 4 MiB photos', async () => {
    // Ten users, four uploads each, and four places each (signing up forty would take forty
    // password hashes more): only the process's bound, at its default, refuses.
    const server = await servers.start({ ...SIGN_UPS, PICTURE_QUEUE_MAX_PER_USER: '4' })
    const pid = server.child.pid!
    const users: Uploader[] = []
    for (let i = 0; i < 10; i += 1) users.push(await signUp(server.origin))
    const photo = await noisyJpeg(2400, 1800, 98)
    expect(photo.length).toBeGreaterThan(4 * MiB)
    expect(photo.length).toBeLessThanOrEqual(DEFAULT_PICTURE_MAX_BYTES)
    const blob = new Blob([new Uint8Array(photo)])

    // The peak from here on: VmHWM reset to the RSS of the moment (clear_refs 5).
    const before = memoryOf(pid, 'VmRSS')
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    const answers = await Promise.all(users.flatMap((user) => Array.from({ length: 4 }, () => uploadOnce(server.origin, user, blob))))
    const peak = memoryOf(pid, 'VmHWM')

    // At most 1 + PICTURE_QUEUE_MAX (8) uploads are held at once, each about three times over
    // while its form is parsed (undici's chunks, their concatenation, the File), once after, and
    // once more for the upload being made (the ArrayBuffer sharp reads): 9 x 3 x 4.3 MiB. The
    // others are refused unread, but their bodies still arrive and are read and dropped (some 130
    // MiB, about 45 of it in memory at once before the collector frees it); with libvips decoding
    // the JPEG (at an eighth of its size) and the heap's growth, 96 MiB more. Measured here: 130
    // to 175 MiB more. With room for all 40 (PICTURE_QUEUE_MAX=39), about 350; before the queue
    // (every upload held, its bytes copied twice while it waited) the bench measured 370 to 445.
    const bound = 9 * 3 * photo.length + 96 * MiB
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(9)
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([])
    for (const refused of answers.filter((answer) => answer.status === 503)) {
      expect(refused).toEqual({ status: 503, retryAfter: '1', body: JSON.stringify(BUSY) })
    }
    expect(peak - before, `RSS ${(before / MiB).toFixed(0)} MiB, then a peak of ${(peak / MiB).toFixed(0)} MiB`).toBeLessThan(bound)
  }, 120_000)

  it('refuses an upload at once while bodies still arriving hold the places, and serves them as they end', async () => {
    // The app on a real port, its queue watched: 1 + 1 places, two of them Alice's to take.
    const queue = new WatchedQueue({ maxWaiting: 1, maxPerUser: 2 })
    const app = await startTestServer({ pictureQueue: queue })
    try {
      const [alice, bob] = [await signUp(app.origin), await signUp(app.origin)]
      const png = await onePixelPng()
      // Alice's two uploads hold both places while their bodies come, as a slow link's would.
      const held = [chunkedUpload(app.origin, alice), chunkedUpload(app.origin, alice)]
      await queue.untilHeld(2)
      const refused = [await uploadOnce(app.origin, bob, png), await chunkedUpload(app.origin, bob).answered]
      expect(refused[0]).toEqual({ status: 503, retryAfter: '1', body: JSON.stringify(BUSY) })
      expect(refused[1]).toMatchObject({ status: 503, headers: { 'retry-after': '1', connection: 'close' } })

      for (const { upload } of held) upload.end(Buffer.concat([png, Buffer.from(FORM_END)]))
      const answers = await Promise.all(held.map(({ answered }) => answered))
      expect(answers.map(({ status }) => status)).toEqual([200, 200])
      expect((await uploadOnce(app.origin, bob, png)).status).toBe(200)
      expect(queue.held).toBe(0)
    } finally {
      await app.stop()
    }
  })

  it('answers 413 to a chunked upload at the first byte past the limit, and the client keeps its pool', async () => {
    const server = await servers.start(SIGN_UPS)
    const alice = await signUp(server.origin)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const { upload, answered } = chunkedUpload(server.origin, alice, agent)
      // Past the limit, then on and on: the answer comes though the body never ends.
      const chunk = Buffer.alloc(64 * 1024)
      const sendMore = () => {
        while (upload.write(chunk));
      }
      upload.on('drain', sendMore)
      sendMore()
      const refused = await answered
      upload.off('drain', sendMore)
      upload.destroy()
      expect(refused.status).toBe(413)
      expect(refused.headers.connection).toBe('close')
      expect(JSON.parse(refused.body)).toEqual({ detail: 'Picture larger than 5 MiB' })
      const next = await new Promise<number>((resolve, reject) =>
        request(`${server.origin}/api/posts`, { agent }, (response) => readBody(response).then(() => resolve(response.statusCode!), reject))
          .once('error', reject)
          .end(),
      )
      expect(next).toBe(200)
    } finally {
      agent.destroy()
    }
  })
})
