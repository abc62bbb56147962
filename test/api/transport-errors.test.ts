import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/http/body-limit.js'
import { bodyLimitOf } from '../support/body-limits.js'
import { createTestContext, type TestContext } from '../support/context.js'
import {
  apiOperations,
  contentTypeOf,
  encodeExample,
  exampleRequest,
  idParamOf,
  isMultipart,
  operations,
  pathWith,
  type Operation,
} from '../support/spec.js'
import { signUp } from '../support/users.js'
import { logTo } from '../support/log.js'

// Driven by the committed spec: every operation gets the transport-level failures it declares.

// These requests all fail before any write, so one app serves them all.
let ctx: TestContext
let token: string
beforeAll(async () => {
  ctx = await createTestContext()
  token = (await signUp(ctx)).token
})
afterAll(() => ctx.close())

const withBody = operations.filter((op) => op.body)
const authHeader = (op: Operation): Record<string, string> =>
  op.secured ? { Authorization: `Bearer ${token}` } : {}

describe.each(withBody)('$name with a body', (op) => {
  const auth = () => authHeader(op)

  // A form's files are made by the tests (see encodeExample); every other body has an example.
  it('has an example in the spec, or is a form of files only', () => {
    const { schema } = op.body!
    if (isMultipart(op)) expect(Object.values(schema.properties!).map((part) => part.format)).toEqual(['binary'])
    else expect(schema.example).toBeDefined()
  })

  it('answers 413 for a body over its limit (1 MiB, or its own)', async () => {
    const { maxBytes, detail } = bodyLimitOf(op)
    const response = await ctx.fetch(pathWith(op, '1'), {
      method: op.method,
      headers: { 'Content-Type': op.body!.mediaType, ...auth() },
      body: 'x'.repeat(maxBytes + 1),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ detail })
  })

  it('answers 415 for another content type', async () => {
    const response = await ctx.fetch(pathWith(op, '1'), {
      method: op.method,
      headers: { 'Content-Type': 'text/plain', ...auth() },
      body: encodeExample(op),
    })
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({ detail: 'Unsupported Media Type' })
  })
})

describe.each(withBody.filter((op) => op.body!.mediaType === 'application/json'))('$name', (op) => {
  it('answers 400 for malformed JSON', async () => {
    const response = await ctx.fetch(pathWith(op, '1'), {
      method: op.method,
      headers: { 'Content-Type': 'application/json', ...authHeader(op) },
      body: '{"title": ',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ detail: 'Malformed JSON in request body' })
  })
})

// What a DELETE of an id nobody has answers, body or no body: the caller may only delete their
// own account (403 before 404), a post, session or passkey that does not exist is a 404, and ending the
// caller's other sessions (it has none) answers 204 without a body.
const MISSING_ID_ANSWER: Record<string, [number, string | null]> = {
  deleteUser: [403, 'Not authorized to delete this user'],
  deletePicture: [403, 'Not authorized to update this user'],
  deletePost: [404, 'Post not found'],
  endSession: [404, 'Session not found'],
  removePasskey: [404, 'Passkey not found'],
  endOtherSessions: [204, null],
}

describe.each(operations.filter((op) => op.method === 'DELETE' && !op.body))('$name with a stray body', (op) => {
  // An id nobody has, so the request changes nothing that the tests after it need.
  it('never reads it: the answer is the one without a body, not a 413', async () => {
    const [status, detail] = MISSING_ID_ANSWER[op.operationId]!
    const response = await ctx.fetch(pathWith(op, '999999'), {
      method: op.method,
      headers: { 'Content-Type': 'application/json', ...authHeader(op) },
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
    })
    expect(response.status).toBe(status)
    if (detail === null) expect(await response.text()).toBe('')
    else expect(await response.json()).toEqual({ detail })
  })
})

describe.each(operations.filter((op) => idParamOf(op)))('$name', (op) => {
  it('answers 422 for an id that is not a positive integer', async () => {
    const response = await ctx.fetch(pathWith(op, 'abc'), {
      method: op.method,
      headers: { ...authHeader(op), ...contentTypeOf(op) },
      body: encodeExample(op),
    })
    expect(response.status).toBe(422)
    const body = (await response.json()) as { detail: { loc: string[]; type: string }[] }
    expect(body.detail[0]?.loc[0]).toBe('path')
  })
})

describe.each(operations.filter((op) => op.secured))('$name without a token', (op) => {
  it('answers 401 with a Bearer challenge', async () => {
    const response = await ctx.fetch(pathWith(op, '1'), {
      method: op.method,
      ...(op.body && { headers: contentTypeOf(op), body: encodeExample(op) }),
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  })
})

describe('unexpected failures', () => {
  it.each(apiOperations)('$name answers a bare 500 when the database is closed under it, and logs it', async (op) => {
    const logged: Record<string, unknown>[] = []
    const broken = await createTestContext({ log: logTo((entry) => logged.push(entry)) })
    const { token: brokenToken } = await signUp(broken)
    await broken.orm.close()
    const response = await broken.fetch(...exampleRequest(op, brokenToken))
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('{"detail":"Internal Server Error"}')
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error' }))
    expect(JSON.stringify(logged)).not.toMatch(/argon2|select |insert |password_hash/i)
  })
})

describe('unknown paths and failing pages', () => {
  it('a page that fails renders the HTML error page with a 500, and no details', async () => {
    const fresh = await createTestContext()
    fresh.app.get('/failing-page', () => {
      throw new Error('secret internals')
    })
    const response = await fresh.fetch('/failing-page')
    await fresh.close()
    expect(response.status).toBe(500)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    const page = await response.text()
    expect(page).toContain('Something went wrong')
    expect(page).not.toContain('secret internals')
  })

  it('answers JSON 404 under /api', async () => {
    for (const url of ['/api/nope', '/api/users/1/nope', '/api']) {
      const response = await ctx.fetch(url)
      expect(response.status, url).toBe(404)
      expect(await response.json()).toEqual({ detail: 'Not Found' })
    }
  })
})
