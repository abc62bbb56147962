import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { checkResponse } from '../support/contract.js'
import { phoneJpeg } from '../support/images.js'
import { startTestServer } from '../support/server.js'
import { signUp } from '../support/users.js'

// A multipart/form-data upload whose Content-Type carries parameters besides the boundary, as
// some clients write it. Pictures are under test here, not password hashing.
useCheapArgon2()

let ctx: TestContext
let photo: Buffer
beforeAll(async () => {
  ctx = await createTestContext()
  photo = await phoneJpeg()
})
afterAll(() => ctx.close())

/** The bytes of a form with one part, `file`, and the boundary they use. */
async function form(bytes: Buffer): Promise<{ body: ArrayBuffer; boundary: string }> {
  const data = new FormData()
  data.append('file', new File([new Uint8Array(bytes)], 'photo.jpg', { type: 'image/jpeg' }))
  const request = new Request('http://form', { method: 'POST', body: data })
  const boundary = /boundary=(.+)$/.exec(request.headers.get('Content-Type') ?? '')![1]!
  return { body: await request.arrayBuffer(), boundary }
}

async function uploadAs(contentType: (boundary: string) => string): Promise<{ response: Response; userId: number }> {
  const alice = await signUp(ctx)
  const { body, boundary } = await form(photo)
  const response = await ctx.fetch(`/api/users/${alice.user.id}/picture`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': contentType(boundary) },
    body,
  })
  return { response, userId: alice.user.id }
}

describe('PUT /api/users/{user_id}/picture', () => {
  it.each([
    ['a charset after the boundary', (b: string) => `multipart/form-data; boundary=${b}; charset=utf-8`],
    ['a charset before the boundary', (b: string) => `multipart/form-data; charset=utf-8; boundary=${b}`],
    ['quoted values', (b: string) => `multipart/form-data; boundary="${b}"; charset="UTF-8"`],
    ['another parameter and no space', (b: string) => `multipart/form-data;boundary=${b};foo=bar`],
    ['upper case', (b: string) => `MULTIPART/FORM-DATA; BOUNDARY=${b}; CHARSET=UTF-8`],
  ])('takes a picture sent with %s in its Content-Type', async (_, contentType) => {
    const { response, userId } = await uploadAs(contentType)
    const body = (await response.json()) as { id: number; image_file: string | null }
    expect(response.status, JSON.stringify(body)).toBe(200)
    expect(body.id).toBe(userId)
    const served = await ctx.fetch(`/media/profile_pics/${body.image_file}`)
    expect(served.status).toBe(200)
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 })
  })

  it.each([
    ['no boundary', () => 'multipart/form-data; charset=utf-8', 400, 'Malformed multipart/form-data in request body'],
    ['another multipart type', (b: string) => `multipart/mixed; boundary=${b}; charset=utf-8`, 415, 'Unsupported Media Type'],
    ['a text type with a boundary', (b: string) => `text/plain; boundary=${b}`, 415, 'Unsupported Media Type'],
  ])('still refuses %s', async (_, contentType, status, detail) => {
    const { response } = await uploadAs(contentType)
    expect(response.status).toBe(status)
    expect(await response.json()).toEqual({ detail })
  })
})

describe('PUT /api/users/{user_id}/picture over a real connection', () => {
  it('takes a picture sent with a charset after the boundary', async () => {
    const server = await startTestServer()
    try {
      const alice = await signUp(server)
      const { body, boundary } = await form(photo)
      const request = new Request(`${server.origin}/api/users/${alice.user.id}/picture`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}; charset=utf-8` },
        body,
      })
      const response = await fetch(request.clone())
      await checkResponse(request, response)
      expect(response.status).toBe(200)
      const { image_file: name } = (await response.json()) as { image_file: string }
      expect((await fetch(`${server.origin}/media/profile_pics/${name}`)).status).toBe(200)
    } finally {
      await server.stop()
    }
  })
})
