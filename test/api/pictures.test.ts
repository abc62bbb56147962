import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formData, type ApiClient } from '../../client/index.js'
import { Picture, User } from '../../src/db/entities/index.js'
import { PICTURE_NAME } from '../../src/rules/pictures.js'
import { FORM_ALLOWANCE_BYTES } from '../../src/routes/pictures/pictures.schemas.js'
import { MAX_INPUT_PIXELS } from '../../src/routes/pictures/pictures.processing.js'
import { storePicture } from '../../src/routes/pictures/pictures.service.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { bearer, createTestContext, type TestContext } from '../support/context.js'
import {
  animatedWebp,
  craftedPng,
  hasGpsTag,
  HTML_NAMED_JPG,
  noisyJpeg,
  onePixelPng,
  phoneJpeg,
  SVG,
  transparentPng,
  truncatedJpeg,
} from '../support/images.js'
import { WatchedQueue, type TurnEvent } from '../support/picture-queue.js'
import { signUp } from '../support/users.js'

// Pictures are under test here, not password hashing.
useCheapArgon2()

const MAX_BYTES = 5 * 1024 * 1024
const TOO_LARGE = { detail: 'Picture larger than 5 MiB' }
const BUSY = { detail: 'Too many picture uploads in progress, try again shortly' }
const DEFAULT_PATH = '/static/profile_pics/default.jpg'

let ctx: TestContext
beforeAll(async () => {
  ctx = await createTestContext()
})
afterAll(() => ctx.close())

type Account = Awaited<ReturnType<typeof signUp>>

function upload(client: ApiClient, userId: number, bytes: Uint8Array | string, name = 'picture.jpg', type = 'image/jpeg') {
  const file = new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type })
  return client.PUT('/api/users/{user_id}/picture', { params: { path: { user_id: userId } }, body: { file }, bodySerializer: formData })
}

/** Uploads and expects a 200; returns the picture's name. */
async function uploadOk(account: Account, bytes: Uint8Array): Promise<string> {
  const { data, error, response } = await upload(account.client, account.user.id, bytes)
  expect(response.status, JSON.stringify(error)).toBe(200)
  return data!.image_file!
}

async function served(name: string): Promise<Buffer> {
  const response = await ctx.fetch(`/media/profile_pics/${name}`)
  expect(response.status).toBe(200)
  expect(response.headers.get('Content-Type')).toBe('image/webp')
  return Buffer.from(await response.arrayBuffer())
}

/** Every stored picture of the user: name and size, from the table itself. */
async function storedPictures(userId: number) {
  const rows = await ctx.orm.em.fork().find(Picture, { owner: userId }, { populate: ['bytes'] })
  return rows.map((row) => ({ name: row.name, contentType: row.contentType, size: row.bytes.length }))
}

async function imageFileOf(userId: number): Promise<string | null | undefined> {
  return (await ctx.orm.em.fork().findOneOrFail(User, userId)).imageFile
}

/** The RGBA value of one pixel of an image. */
async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const offset = (y * info.width + x) * info.channels
  return [...data.subarray(offset, offset + 4)]
}

const isRed = ([r, g, b]: number[]) => r! > 200 && g! < 60 && b! < 60
const isBlue = ([r, g, b]: number[]) => r! < 60 && g! < 60 && b! > 200

describe('PUT /api/users/{user_id}/picture', () => {
  it('turns a phone photo upright, cuts its centre square to 256x256 WebP and keeps no EXIF, GPS or profile', async () => {
    const photo = await phoneJpeg()
    const before = await sharp(photo).metadata()
    // What must not survive is really there to begin with.
    expect(before).toMatchObject({ format: 'jpeg', width: 400, height: 200, orientation: 6 })
    expect(hasGpsTag(before.exif)).toBe(true)
    expect(before.icc).toBeDefined()

    const alice = await signUp(ctx)
    const { data, response } = await upload(alice.client, alice.user.id, photo)
    expect(response.status).toBe(200)
    const name = data!.image_file!
    expect(name).toMatch(PICTURE_NAME)
    expect(data).toEqual({ ...alice.user, image_file: name, image_path: `/media/profile_pics/${name}` })

    const image = await served(name)
    const after = await sharp(image).metadata()
    expect(after).toMatchObject({ format: 'webp', width: 256, height: 256 })
    for (const field of ['exif', 'icc', 'xmp', 'iptc', 'orientation'] as const) expect(after[field], field).toBeUndefined()
    expect(image.includes(Buffer.from('EXIF'))).toBe(false)
    expect(image.includes(Buffer.from('Phone'))).toBe(false)
    // Upright, red is on top and blue below; as stored (unturned) the same points would be
    // blue (right half) and red (left half).
    expect(isRed(await pixel(image, 200, 40))).toBe(true)
    expect(isBlue(await pixel(image, 56, 216))).toBe(true)

    expect(await storedPictures(alice.user.id)).toEqual([{ name, contentType: 'image/webp', size: image.length }])
    const me = await alice.client.GET('/api/users/me')
    expect(me.data).toEqual(data)
  })

  it('keeps the transparency of a PNG', async () => {
    const alice = await signUp(ctx)
    const image = await served(await uploadOk(alice, await transparentPng()))
    expect(await sharp(image).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256, hasAlpha: true })
    expect((await pixel(image, 4, 4))[3]).toBe(0)
    const [r, g, b, alpha] = await pixel(image, 128, 128)
    expect([r! < 60, g! > 200, b! < 60, alpha]).toEqual([true, true, true, 255])
  })

  it('takes the first frame of an animated WebP, and stores a still image', async () => {
    const animated = await animatedWebp()
    expect((await sharp(animated, { pages: -1 }).metadata()).pages).toBe(2)
    const alice = await signUp(ctx)
    const image = await served(await uploadOk(alice, animated))
    const metadata = await sharp(image, { pages: -1 }).metadata()
    expect([metadata.width, metadata.height, metadata.pages ?? 1]).toEqual([256, 256, 1])
    expect(isRed(await pixel(image, 128, 128))).toBe(true)
  })

  it('scales a 1x1 image up to 256x256', async () => {
    const alice = await signUp(ctx)
    const image = await served(await uploadOk(alice, await onePixelPng()))
    expect(await sharp(image).metadata()).toMatchObject({ width: 256, height: 256 })
  })

  it('decides by the bytes, not by the name or the part Content-Type', async () => {
    const alice = await signUp(ctx)
    const png = await onePixelPng()
    const { response } = await upload(alice.client, alice.user.id, png, 'drawing.svg', 'image/svg+xml')
    expect(response.status).toBe(200)
    const refused = await upload(alice.client, alice.user.id, HTML_NAMED_JPG, 'photo.jpg', 'image/jpeg')
    expect(refused.response.status).toBe(400)
  })

  it.each([
    ['an SVG', () => SVG, 'drawing.svg'],
    ['an HTML page named .jpg', () => HTML_NAMED_JPG, 'photo.jpg'],
    ['a text file named .jpg', () => Buffer.from('Not a picture, only words.\n'), 'notes.jpg'],
    ['a truncated JPEG', truncatedJpeg, 'photo.jpg'],
    ['an empty file', () => new Uint8Array(0), 'photo.jpg'],
  ])('refuses %s with 400 and stores nothing', async (_, make, name) => {
    const alice = await signUp(ctx)
    const kept = await uploadOk(alice, await onePixelPng())
    const { error, response } = await upload(alice.client, alice.user.id, await make(), name)
    expect(response.status).toBe(400)
    expect(error).toEqual({ detail: 'File is not a JPEG, PNG or WebP image' })
    expect((await storedPictures(alice.user.id)).map((row) => row.name)).toEqual([kept])
    expect(await imageFileOf(alice.user.id)).toBe(kept)
  })

  it('refuses a 20,000 x 20,000 PNG bomb from its header, without decoding it', async () => {
    const bomb = craftedPng(20_000, 20_000, 1)
    expect(bomb.length).toBeLessThan(1024)
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ format: 'png', width: 20_000, height: 20_000 })
    const alice = await signUp(ctx)
    const { error, response } = await upload(alice.client, alice.user.id, bomb, 'small.png', 'image/png')
    expect(response.status).toBe(400)
    expect(error).toEqual({ detail: 'File is not a JPEG, PNG or WebP image' })
    expect(await storedPictures(alice.user.id)).toEqual([])
    expect(await imageFileOf(alice.user.id)).toBeNull()
  })

  it('takes a file of exactly PICTURE_MAX_BYTES and refuses one byte more with 413', async () => {
    const alice = await signUp(ctx)
    const atLimit = await upload(alice.client, alice.user.id, new Uint8Array(MAX_BYTES))
    // At the limit the size is fine; all zeros is not an image.
    expect(atLimit.response.status).toBe(400)
    const over = await upload(alice.client, alice.user.id, new Uint8Array(MAX_BYTES + 1))
    expect(over.response.status).toBe(413)
    expect(over.error).toEqual(TOO_LARGE)
    expect(await storedPictures(alice.user.id)).toEqual([])
  })

  it('refuses a body streaming past the limit as it arrives, without reading the rest', async () => {
    const alice = await signUp(ctx)
    const chunk = new Uint8Array(64 * 1024)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20 * MAX_BYTES) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await ctx.fetch(`/api/users/${alice.user.id}/picture`, {
      method: 'PUT',
      headers: { ...bearer(alice.token), 'Content-Type': 'multipart/form-data; boundary=x' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual(TOO_LARGE)
    // Read up to the limit and a few chunks in flight, not the 100 MiB that would follow.
    expect(sent).toBeLessThanOrEqual(MAX_BYTES + FORM_ALLOWANCE_BYTES + 4 * chunk.length)
  })

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const alice = await signUp(ctx)
    const response = await ctx.fetch(`/api/users/${alice.user.id}/picture`, {
      method: 'PUT',
      headers: {
        ...bearer(alice.token),
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(MAX_BYTES + FORM_ALLOWANCE_BYTES + 1),
      },
      body: 'x',
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual(TOO_LARGE)
  })

  it('takes its limit from PICTURE_MAX_BYTES and names it', async () => {
    const small = await createTestContext({ env: { PICTURE_MAX_BYTES: String(64 * 1024) } })
    try {
      const alice = await signUp(small)
      const photo = await noisyJpeg(400, 400)
      expect(photo.length).toBeGreaterThan(64 * 1024)
      const { error, response } = await upload(alice.client, alice.user.id, photo)
      expect(response.status).toBe(413)
      expect(error).toEqual({ detail: 'Picture larger than 64 KiB' })
      const fits = await upload(alice.client, alice.user.id, await onePixelPng())
      expect(fits.response.status).toBe(200)
    } finally {
      await small.close()
    }
  })

  it("refuses another user's account with 403, whether or not it exists", async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    for (const userId of [bob.user.id, 999_999]) {
      const { error, response } = await upload(alice.client, userId, await onePixelPng())
      expect(response.status).toBe(403)
      expect(error).toEqual({ detail: 'Not authorized to update this user' })
    }
    expect(await storedPictures(alice.user.id)).toEqual([])
    expect(await storedPictures(bob.user.id)).toEqual([])
  })

  it('answers 415 for a body that is not multipart/form-data, a URL-encoded form too', async () => {
    const alice = await signUp(ctx)
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'file=picture'],
      ['application/json', '{"file": "picture"}'],
      ['image/jpeg', new Uint8Array(await onePixelPng())],
    ] as const) {
      const response = await ctx.fetch(`/api/users/${alice.user.id}/picture`, {
        method: 'PUT',
        headers: { ...bearer(alice.token), 'Content-Type': type },
        body,
      })
      expect(response.status, type).toBe(415)
      expect(await response.json()).toEqual({ detail: 'Unsupported Media Type' })
    }
  })

  it('answers 400 for a malformed multipart body', async () => {
    const alice = await signUp(ctx)
    const response = await ctx.fetch(`/api/users/${alice.user.id}/picture`, {
      method: 'PUT',
      headers: { ...bearer(alice.token), 'Content-Type': 'multipart/form-data; boundary=frontier' },
      body: 'this is not a form',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ detail: 'Malformed multipart/form-data in request body' })
  })

  it('answers 422 for a form without a file part, or with text in its place', async () => {
    const alice = await signUp(ctx)
    const send = (form: FormData) =>
      ctx.fetch(`/api/users/${alice.user.id}/picture`, { method: 'PUT', headers: bearer(alice.token), body: form })
    const noFile = new FormData()
    noFile.append('picture', new Blob([new Uint8Array(await onePixelPng())]), 'picture.png')
    const missing = await send(noFile)
    expect(missing.status).toBe(422)
    expect(await missing.json()).toEqual({ detail: [{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }] })

    const text = new FormData()
    text.append('file', 'picture.png')
    const notAFile = await send(text)
    expect(notAFile.status).toBe(422)
    const body = (await notAFile.json()) as { detail: { loc: string[] }[] }
    expect(body.detail.map((issue) => issue.loc)).toEqual([['body', 'file']])
  })

  it('replaces the earlier picture and deletes its bytes', async () => {
    const alice = await signUp(ctx)
    const first = await uploadOk(alice, await onePixelPng())
    const second = await uploadOk(alice, await transparentPng())
    expect(second).not.toBe(first)
    expect((await storedPictures(alice.user.id)).map((row) => row.name)).toEqual([second])
    expect((await ctx.fetch(`/media/profile_pics/${first}`)).status).toBe(404)
    await served(second)
  })

  it('leaves one picture and no other bytes when two uploads for one user race', async () => {
    const alice = await signUp(ctx)
    const [one, two] = await Promise.all([
      upload(alice.client, alice.user.id, await onePixelPng()),
      upload(alice.client, alice.user.id, await transparentPng()),
    ])
    expect([one.response.status, two.response.status]).toEqual([200, 200])
    const names = [one.data!.image_file!, two.data!.image_file!]
    const current = await imageFileOf(alice.user.id)
    expect(names).toContain(current)
    expect((await storedPictures(alice.user.id)).map((row) => row.name)).toEqual([current])
    const other = names.find((name) => name !== current)!
    expect((await ctx.fetch(`/media/profile_pics/${other}`)).status).toBe(404)
  })

  it('keeps one picture per user when many stores for one user race in the database', async () => {
    const alice = await signUp(ctx)
    const bytes = await sharp(await onePixelPng()).webp().toBuffer()
    // As many requests would: each with its own entity manager and its own copy of the user.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const em = ctx.orm.em.fork()
        await storePicture(em, await em.findOneOrFail(User, alice.user.id), bytes)
      }),
    )
    const rows = await storedPictures(alice.user.id)
    expect(rows).toHaveLength(1)
    expect(await imageFileOf(alice.user.id)).toBe(rows[0]!.name)
  })

  it('makes one picture at a time, and reads are answered while uploads wait their turn', async () => {
    const photos = await Promise.all(Array.from({ length: 4 }, () => noisyJpeg(1600, 1200)))
    const accounts = await Promise.all(photos.map(() => signUp(ctx)))
    let mostAtOnce = 0
    let done = false
    const watch = (async () => {
      while (!done) {
        mostAtOnce = Math.max(mostAtOnce, sharp.counters().process)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    let uploadsLeft = photos.length
    const uploads = photos.map(async (photo, i) => {
      const { response } = await upload(accounts[i]!.client, accounts[i]!.user.id, photo)
      uploadsLeft -= 1
      return response.status
    })
    const read = await ctx.client.GET('/api/posts')
    const leftWhenRead = uploadsLeft
    const statuses = await Promise.all(uploads)
    done = true
    await watch
    expect(read.response.status).toBe(200)
    expect(statuses).toEqual([200, 200, 200, 200])
    expect(mostAtOnce).toBe(1)
    expect(leftWhenRead).toBeGreaterThan(0)
  })
})

/**
 * An upload whose body starts and never ends: it can only be answered by a server that never
 * reads the body. With a Content-Length, or (no headers) sent as it comes, as chunked.
 */
function endlessUpload(context: TestContext, account: Account, headers: Record<string, string> = {}) {
  const start = new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n')
  const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(start) })
  return context.fetch(`/api/users/${account.user.id}/picture`, {
    method: 'PUT',
    headers: { ...bearer(account.token), 'Content-Type': 'multipart/form-data; boundary=x', ...headers },
    body,
    duplex: 'half',
  } as RequestInit)
}

/** A 503 of the picture queue: from fetch, or from the client (which has read the body). */
async function expectBusy(answer: Response | { response: Response; error?: unknown }) {
  const [response, body] = answer instanceof Response ? [answer, await answer.json()] : [answer.response, answer.error]
  expect(response.status).toBe(503)
  expect(response.headers.get('Retry-After')).toBe('1')
  expect(body).toEqual(BUSY)
}

describe('the picture queue', () => {
  it("answers 503 with Retry-After at once past a user's places and past the process's, and serves the uploads it took", async () => {
    const queue = new WatchedQueue({ maxWaiting: 3, maxPerUser: 2 })
    const own = await createTestContext({ pictureQueue: queue })
    try {
      const [alice, bob, carol] = [await signUp(own), await signUp(own), await signUp(own)]
      const png = await onePixelPng()
      // Nothing is made until the test gives its turn back: every upload taken waits.
      const endTurn = queue.holdTurn()
      const alices = [upload(alice.client, alice.user.id, png), upload(alice.client, alice.user.id, png)]
      await queue.untilHeld(3)
      // Alice holds both her places: her third upload is answered while nothing is being made,
      // and its body is never read (it never ends).
      await expectBusy(await upload(alice.client, alice.user.id, png))
      await expectBusy(await endlessUpload(own, alice, { 'Content-Length': '1000000' }))
      await expectBusy(await endlessUpload(own, alice))
      // Bob still gets a place; then all 1 + 3 are held, and Carol, with none of hers, is refused.
      const bobs = upload(bob.client, bob.user.id, png)
      await queue.untilHeld(4)
      await expectBusy(await endlessUpload(own, carol))
      await expectBusy(await upload(carol.client, carol.user.id, png))

      await endTurn()
      const answered = await Promise.all([...alices, bobs])
      expect(answered.map(({ response }) => response.status)).toEqual([200, 200, 200])
      expect(queue.held).toBe(0)
      // Every place was given back, the refused uploads' too.
      await uploadOk(carol, png)
      expect(queue.held).toBe(0)
    } finally {
      await own.close()
    }
  })

  it("serves another user's upload after at most the flooder's places, however fast the flooder sends", async () => {
    // The default bounds (8 waiting, 2 places a user), the queue's turns logged.
    const queue = new WatchedQueue({ maxWaiting: 8, maxPerUser: 2 })
    const own = await createTestContext({ pictureQueue: queue })
    try {
      // Among the slowest pictures to make: a PNG of the most pixels accepted, decoded whole.
      const side = Math.floor(Math.sqrt(MAX_INPUT_PIXELS))
      const png = craftedPng(side, side)
      const flooder = await signUp(own)
      const other = await signUp(own)
      const photo = await noisyJpeg(800, 600)
      const [flooderKey, otherKey] = [String(flooder.user.id), String(other.user.id)]
      const events = (client: string, event: TurnEvent['event']) => queue.turns.filter((e) => e.client === client && e.event === event)

      // Twelve at once, each sent again as soon as it is answered, until the other upload is done.
      let flooding = true
      const statuses: number[] = []
      const flood = Array.from({ length: 12 }, async () => {
        while (flooding) statuses.push((await upload(flooder.client, flooder.user.id, png, 'flood.png', 'image/png')).response.status)
      })
      while (events(flooderKey, 'ended').length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
      const { response } = await upload(other.client, other.user.id, photo)
      flooding = false
      await Promise.all(flood)

      expect(response.status).toBe(200)
      expect(new Set(statuses)).toEqual(new Set([200, 503]))
      // From the moment its upload asked for a turn, the other user waited for at most the
      // flooder's two places (one picture being made, one waiting): no later flood upload got
      // ahead. A queue without bounds had every one of the twelve ahead.
      const asked = queue.turns.indexOf(events(otherKey, 'asked')[0]!)
      const started = queue.turns.indexOf(events(otherKey, 'started')[0]!)
      const ahead = queue.turns.slice(asked, started).filter((e) => e.client === flooderKey && e.event === 'started')
      expect(ahead.length, `${ahead.length} of the flooder's pictures began after the other upload asked`).toBeLessThanOrEqual(2)
      // So its wait for a turn is two pictures at most, measured against the flood's slowest.
      const starts = events(flooderKey, 'started')
      const slowest = Math.max(...events(flooderKey, 'ended').map((end, i) => end.at - starts[i]!.at))
      const waited = queue.turns[started]!.at - queue.turns[asked]!.at
      expect(waited, `waited ${waited.toFixed(0)} ms; the slowest flood picture took ${slowest.toFixed(0)} ms`).toBeLessThan(3 * slowest)
    } finally {
      await own.close()
    }
  })
})

describe('DELETE /api/users/{user_id}/picture', () => {
  it('goes back to the default picture and deletes the bytes', async () => {
    const alice = await signUp(ctx)
    const name = await uploadOk(alice, await onePixelPng())
    const { data, response } = await alice.client.DELETE('/api/users/{user_id}/picture', {
      params: { path: { user_id: alice.user.id } },
    })
    expect(response.status).toBe(200)
    expect(data).toEqual({ ...alice.user, image_file: null, image_path: DEFAULT_PATH })
    expect(await storedPictures(alice.user.id)).toEqual([])
    expect((await ctx.fetch(`/media/profile_pics/${name}`)).status).toBe(404)
    const again = await alice.client.DELETE('/api/users/{user_id}/picture', { params: { path: { user_id: alice.user.id } } })
    expect(again.response.status).toBe(200)
  })

  it("refuses another user's account with 403", async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    const name = await uploadOk(bob, await onePixelPng())
    const { error, response } = await alice.client.DELETE('/api/users/{user_id}/picture', {
      params: { path: { user_id: bob.user.id } },
    })
    expect(response.status).toBe(403)
    expect(error).toEqual({ detail: 'Not authorized to update this user' })
    await served(name)
  })
})

describe('PATCH /api/users/{user_id} image_file', () => {
  const patch = (account: Account, image_file: string | null) =>
    account.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: account.user.id } }, body: { image_file } })

  it('null goes back to the default picture and deletes the bytes', async () => {
    const alice = await signUp(ctx)
    const name = await uploadOk(alice, await onePixelPng())
    const { data, response } = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username: 'alice_again', image_file: null },
    })
    expect(response.status).toBe(200)
    expect(data).toMatchObject({ username: 'alice_again', image_file: null, image_path: DEFAULT_PATH })
    expect(await storedPictures(alice.user.id)).toEqual([])
    expect((await ctx.fetch(`/media/profile_pics/${name}`)).status).toBe(404)
  })

  it('the current name changes nothing', async () => {
    const alice = await signUp(ctx)
    const name = await uploadOk(alice, await onePixelPng())
    const { data, response } = await patch(alice, name)
    expect(response.status).toBe(200)
    expect(data?.image_file).toBe(name)
    expect((await storedPictures(alice.user.id)).map((row) => row.name)).toEqual([name])
  })

  it("any other name is a 422, another user's picture too, and changes nothing", async () => {
    const alice = await signUp(ctx)
    const bob = await signUp(ctx)
    const mine = await uploadOk(alice, await onePixelPng())
    const bobs = await uploadOk(bob, await onePixelPng())
    const almostMine = `${mine.startsWith('0') ? '1' : '0'}${mine.slice(1)}`
    for (const name of ['a1b2.jpg', bobs, almostMine]) {
      const { error, response } = await alice.client.PATCH('/api/users/{user_id}', {
        params: { path: { user_id: alice.user.id } },
        body: { username: 'not_applied', image_file: name },
      })
      expect(response.status, name).toBe(422)
      expect(error?.detail).toEqual([
        {
          loc: ['body', 'image_file'],
          msg: 'Image file must be null or the name of your current picture; upload a new one',
          type: 'value_error',
        },
      ])
    }
    const me = await alice.client.GET('/api/users/me')
    expect(me.data).toMatchObject({ username: alice.username, image_file: mine })
  })

  it('a user without a picture may only send null', async () => {
    const alice = await signUp(ctx)
    expect((await patch(alice, null)).response.status).toBe(200)
    expect((await patch(alice, '0123456789abcdef0123456789abcdef.webp')).response.status).toBe(422)
  })
})

describe('DELETE /api/users/{user_id}', () => {
  it("deletes the account's picture with it", async () => {
    const alice = await signUp(ctx)
    const name = await uploadOk(alice, await onePixelPng())
    const { response } = await alice.client.DELETE('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } } })
    expect(response.status).toBe(204)
    expect(await storedPictures(alice.user.id)).toEqual([])
    expect((await ctx.fetch(`/media/profile_pics/${name}`)).status).toBe(404)
  })

  it('the database deletes the picture with its user, whoever deletes the row', async () => {
    const alice = await signUp(ctx)
    await uploadOk(alice, await onePixelPng())
    await ctx.orm.em.fork().getConnection().execute('delete from users where id = ?', [alice.user.id])
    expect(await ctx.orm.em.fork().count(Picture, {})).toBe(await ctx.orm.em.fork().count(Picture, { owner: { $ne: alice.user.id } }))
    expect(await storedPictures(alice.user.id)).toEqual([])
  })
})

describe('GET /media/profile_pics/{name}', () => {
  let name = ''
  let image: Buffer = Buffer.alloc(0)
  beforeAll(async () => {
    const alice = await signUp(ctx)
    name = await uploadOk(alice, await transparentPng())
    image = await served(name)
  })
  const get = (headers: Record<string, string> = {}) => ctx.fetch(`/media/profile_pics/${name}`, { headers })

  it('serves the image for good, with a strong ETag, sniffing off and nothing allowed to run', async () => {
    const response = await get()
    expect(response.status).toBe(200)
    expect(Object.fromEntries(['Content-Type', 'Cache-Control', 'X-Content-Type-Options', 'Content-Security-Policy'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'Content-Type': 'image/webp',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    })
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.equals(image)).toBe(true)
    expect(response.headers.get('ETag')).toBe(`"${createHash('sha256').update(bytes).digest('base64url')}"`)
  })

  it('answers 304 without the bytes when If-None-Match names its ETag', async () => {
    const etag = (await get()).headers.get('ETag')!
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get({ 'If-None-Match': ifNoneMatch })
      expect(response.status, ifNoneMatch).toBe(304)
      expect(await response.text()).toBe('')
      expect(response.headers.get('ETag')).toBe(etag)
      expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    }
    const other = await get({ 'If-None-Match': '"other"' })
    expect(other.status).toBe(200)
  })

  it('answers 404 for any name that is not a stored picture, well formed or not', async () => {
    for (const missing of ['0123456789abcdef0123456789abcdef.webp', name.replace('.webp', '.jpg'), 'default.jpg', 'abc', '..%2F..%2Fpackage.json', 'x'.repeat(500)]) {
      const response = await ctx.fetch(`/media/profile_pics/${missing}`)
      expect(response.status, missing).toBe(404)
      expect(await response.json()).toEqual({ detail: 'Picture not found' })
    }
  })

  it('serves nothing else under /media', async () => {
    for (const path of ['/media/', '/media/profile_pics/', `/media/${name}`, `/media/profile_pics/${name}/x`, '/media/none.jpg']) {
      const response = await ctx.fetch(path)
      expect(response.status, path).toBe(404)
      expect(await response.json()).toEqual({ detail: 'Not Found' })
    }
  })
})
