import argon2 from 'argon2'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bodyLimitOf } from '../support/body-limits.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { bearer, createTestContext, type TestContext } from '../support/context.js'
import { snapshotDb } from '../support/db-snapshot.js'
import { craftedPng } from '../support/images.js'
import { contentTypeOf, idParamOf, isMultipart, operationNamed, operations, type Operation, type SchemaObject } from '../support/spec.js'
import { newUser, signUp } from '../support/users.js'

// Hostile requests through the real app. Whatever they send, the answer is never a 500 and is
// one the spec declares (ctx.fetch checks that), and a request that fails changes nothing in
// the database: every row of every table, and the schema, are compared before and after.

// This suite is about input, not password hashing: Argon2 runs with its cheapest cost here,
// or the hundreds of hashes and verifications below would take minutes on two cores.
useCheapArgon2()

// Login throttling has its own tests; here it would turn the many failed logins into 429s.
const NO_THROTTLE = {
  LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '1000000',
  LOGIN_MAX_FAILURES_PER_EMAIL: '1000000',
  LOGIN_MAX_FAILURES_PER_CLIENT: '1000000',
  PASSWORD_CHANGE_MAX_FAILURES_PER_USER: '1000000',
}

// ---------------------------------------------------------------------------------------------
// The operations, read from the committed spec, so a new route is attacked as soon as it exists.

const types = (schema: SchemaObject) => [schema.type ?? []].flat()

interface Field {
  name: string
  nullable: boolean
  maxLength?: number
  /** A file in a form, whose maxLength is bytes and answered with 413. */
  binary: boolean
}

/** The string fields of the operation's request body, files included. */
const stringFields = (op: Operation): Field[] =>
  Object.entries(op.body?.schema.properties ?? {})
    .filter(([, schema]) => types(schema).includes('string'))
    .map(([name, schema]) => ({
      name,
      nullable: types(schema).includes('null'),
      maxLength: schema.maxLength,
      binary: schema.format === 'binary',
    }))

const withBody = operations.filter((op) => op.body)
const withJsonBody = operations.filter((op) => op.body?.mediaType === 'application/json')
const withPathId = operations.filter((op) => idParamOf(op))
const paginated = operations.filter((op) => op.operationId === 'listPosts' || op.operationId === 'listUserPosts')
const fieldsOf = (ops: Operation[]) =>
  ops.flatMap((op) => stringFields(op).map((field) => ({ op, field, title: `${op.name} ${field.name}` })))

// ---------------------------------------------------------------------------------------------
// One app for the whole file; every test takes its own before-and-after snapshot.

interface Actor {
  id: number
  email: string
  password: string
  token: string
}

let ctx: TestContext
let alice: Actor
let alicePostId: number

beforeAll(async () => {
  ctx = await createTestContext({ env: NO_THROTTLE })
  const signedUp = await signUp(ctx)
  alice = { id: signedUp.user.id, email: signedUp.email, password: signedUp.password, token: signedUp.token }
  await signUp(ctx) // another account, whose row no hostile request may touch either
  const { data } = await signedUp.client.POST('/api/posts', { body: { title: 'Alice writes', content: 'Hello.' } })
  alicePostId = data!.id
})
afterAll(() => ctx.close())

/** The operation's path with the caller's own ids (and a passkey id nobody has), so only the hostile part of a request fails. */
function pathOf(op: Operation, id?: string): string {
  return op.template
    .replace('{user_id}', id ?? String(alice.id))
    .replace('{post_id}', id ?? String(alicePostId))
    .replace('{passkey_id}', '00000000-0000-4000-8000-000000000000')
}

/** A body that passes validation, so each case fails only on what it changes. */
function validBody(op: Operation): Record<string, unknown> {
  switch (op.operationId) {
    case 'createUser': {
      const { username, email, password } = newUser()
      return { username, email, password }
    }
    case 'login':
      return { username: 'nobody@example.com', password: 'not the password' }
    case 'changePassword':
      return { current_password: 'not the password', new_password: 'a brand new password' }
    case 'uploadPicture':
      return { file: craftedPng(1, 1) }
    default:
      return { ...op.body?.schema.example }
  }
}

/** The body as its media type says; in a form, a file part holds the value's bytes. */
function encode(op: Operation, body: Record<string, unknown>): string | FormData {
  if (op.body?.mediaType === 'application/json') return JSON.stringify(body)
  if (isMultipart(op)) {
    const form = new FormData()
    for (const [name, value] of Object.entries(body)) {
      const binary = op.body!.schema.properties?.[name]?.format === 'binary'
      form.append(name, binary ? new Blob([typeof value === 'string' ? value : new Uint8Array(value as Uint8Array)]) : String(value))
    }
    return form
  }
  return new URLSearchParams(body as Record<string, string>).toString()
}

function requestInit(op: Operation, body?: BodyInit, headers: Record<string, string> = {}): RequestInit {
  return {
    method: op.method,
    headers: {
      ...contentTypeOf(op),
      ...(op.secured && bearer(alice.token)),
      ...headers,
    },
    ...(body !== undefined && { body }),
  }
}

interface Answer {
  status: number
  body: unknown
}

/** Sends one hostile request: never a 500, and a failure leaves the database exactly as it was. */
async function send(path: string, init: RequestInit = {}, app: TestContext = ctx): Promise<Answer> {
  const before = await snapshotDb(app.orm)
  const response = await app.fetch(path, init)
  const text = await response.text()
  expect(response.status, text.slice(0, 500)).toBeLessThan(500)
  const after = await snapshotDb(app.orm)
  if (response.status >= 400) expect(after, 'a failed request changed the database').toEqual(before)
  expect(after.schema, 'the schema changed').toEqual(before.schema)
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const jsonPost = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body,
})

function expectInvalid(answer: Answer, ...loc: (string | number)[]): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(422)
  const issues = (answer.body as { detail: { loc: unknown[] }[] }).detail
  expect(issues.map((issue) => issue.loc)).toContainEqual(loc)
}

const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`

// ---------------------------------------------------------------------------------------------

describe('oversized bodies', () => {
  describe.each(withBody)('$name', (op) => {
    const [first] = stringFields(op)
    const { maxBytes } = bodyLimitOf(op)

    it('answers 413 for a value of twice its body limit (2 MiB, or its own) inside a well-formed body', async () => {
      const body = encode(op, { ...validBody(op), [first!.name]: 'x'.repeat(2 * maxBytes) })
      expect((await send(pathOf(op), requestInit(op, body))).status).toBe(413)
    })

    it('answers 413 for a body over its limit streamed without a Content-Length', async () => {
      const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
      let sent = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > maxBytes) return controller.close()
          sent += chunk.length
          controller.enqueue(chunk)
        },
      })
      const init = { ...requestInit(op, stream), duplex: 'half' } as RequestInit
      expect((await send(pathOf(op), init)).status).toBe(413)
    })

    it('answers 413 for a declared Content-Length of 10 GB', async () => {
      const init = requestInit(op, encode(op, validBody(op)), { 'Content-Length': String(10 * 1024 ** 3) })
      expect((await send(pathOf(op), init)).status).toBe(413)
    })
  })

  describe.each(fieldsOf(withBody).filter(({ field }) => field.maxLength && !field.binary))('$title', ({ op, field }) => {
    it('answers 422 one character past its maxLength', async () => {
      const body = encode(op, { ...validBody(op), [field.name]: 'x'.repeat(field.maxLength! + 1) })
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', field.name)
    })
  })

  it('answers 422 for a password of a million characters, without hashing it', async () => {
    const op = operationNamed('createUser')
    const hash = vi.mocked(argon2.hash)
    hash.mockClear()
    const body = encode(op, { ...validBody(op), password: 'p'.repeat(1_000_000) })
    expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', 'password')
    expect(hash).not.toHaveBeenCalled()
  })
})

describe('deeply nested JSON', () => {
  describe.each(withJsonBody)('$name', (op) => {
    const [first] = stringFields(op)

    it('answers 422 for 10,000 nested arrays where a string belongs', async () => {
      const body = `{"${first!.name}": ${nested(10_000, '[', ']')}}`
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', first!.name)
    })

    it('answers 422 for 100,000 nested objects where a string belongs', async () => {
      const body = `{"${first!.name}": ${nested(100_000, '{"a":', '}')}}`
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', first!.name)
    })

    it('answers 422 for a body that is 10,000 nested arrays', async () => {
      expectInvalid(await send(pathOf(op), requestInit(op, nested(10_000, '[', ']'))), 'body')
    })
  })

  it('answers 422 for a login form whose field name nests 10,000 brackets', async () => {
    const op = operationNamed('login')
    const body = `username${'[a]'.repeat(10_000)}=x&password=not+the+password`
    expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', 'username')
  })
})

describe('wrong types', () => {
  const WRONG: [string, unknown][] = [
    ['a number', 0],
    ['a huge number', 1e308],
    ['a boolean', true],
    ['null', null],
    ['an empty array', []],
    ['an array of strings', ['x']],
    ['an empty object', {}],
    ['an operator object', { $ne: null }],
  ]

  describe.each(fieldsOf(withJsonBody))('$title', ({ op, field }) => {
    it.each(WRONG.filter(([, value]) => !(value === null && field.nullable)))('as %s is a 422', async (_, value) => {
      const body = encode(op, { ...validBody(op), [field.name]: value })
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', field.name)
    })
  })

  describe.each(withJsonBody)('$name', (op) => {
    it.each(['null', '[]', '"a string"', '42', 'true'])('with a body of %s is a 422', async (body) => {
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body')
    })
  })

  it('answers 422 for a login form that repeats its username', async () => {
    const op = operationNamed('login')
    const body = `username=${encodeURIComponent(alice.email)}&username=x&password=${encodeURIComponent(alice.password)}`
    expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', 'username')
  })
})

describe('SQL metacharacters', () => {
  const SQL = [
    `' OR 1=1 --`,
    `"; DROP TABLE users; --`,
    `'); DELETE FROM posts; --`,
    `' UNION SELECT password_hash FROM users --`,
    `\\'; DROP TABLE posts; --`,
    `%' OR email LIKE '%`,
  ]

  describe.each(fieldsOf(withBody))('$title', ({ op, field }) => {
    it.each(SQL)('holding %s is data, never SQL', async (value) => {
      const body = encode(op, { ...validBody(op), [field.name]: value })
      const answer = await send(pathOf(op), requestInit(op, body))
      if (op.operationId === 'login') expect(answer.status).not.toBe(200)
      // Where the value is stored and echoed, it comes back exactly as sent.
      const echoed = answer.status < 300 ? (answer.body as Record<string, unknown> | undefined)?.[field.name] : undefined
      if (echoed !== undefined) expect(echoed).toBe(value)
    })
  })

  describe.each(withPathId)('$name', (op) => {
    it.each(SQL)('with %s as its id is a 422', async (value) => {
      const body = op.body ? encode(op, validBody(op)) : undefined
      const answer = await send(pathOf(op, encodeURIComponent(value)), requestInit(op, body))
      expectInvalid(answer, 'path', idParamOf(op)!)
    })
  })

  describe.each(paginated)('$name', (op) => {
    it.each(SQL.flatMap((value) => ['skip', 'limit'].map((name) => [name, value] as const)))(
      'with %s=%s is a 422',
      async (name, value) => {
        const answer = await send(`${pathOf(op)}?${new URLSearchParams({ [name]: value })}`)
        expectInvalid(answer, 'query', name)
      },
    )
  })

  it.each([
    ['a quote and a comment', `Bearer ' OR 1=1 --`],
    ['100,000 characters', `Bearer ${'a'.repeat(100_000)}`],
    ['a statement after its signature', `Bearer a.b.c'; DROP TABLE users; --`],
  ])('a token holding %s is a 401', async (_, authorization) => {
    const answer = await send('/api/posts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: authorization },
      body: JSON.stringify({ title: 'never', content: 'written' }),
    })
    expect(answer.status).toBe(401)
  })
})

describe('unicode and NUL bytes', () => {
  const STORABLE: [string, string][] = [
    ['emoji with skin tone and ZWJ', '👩🏽‍💻 writes'],
    ['right-to-left script', 'مدونة عربية'],
    ['a right-to-left override', '\u202Eevil\u202C'],
    ['stacked combining marks', 'Ze\u0301\u0308\u0327bra'],
    ['a zero-width space', 'ali\u200Bce'],
    ['full-width letters', 'ｃｏｒｅｙ'],
    ['astral-plane letters', '𝕳𝖊𝖑𝖑𝖔'],
    ['CJK', '日本語のブログ'],
    ['a byte-order mark', '\uFEFFbom'],
  ]

  // Sent as raw JSON escapes, e.g. "a\u0000b" and "a\ud800b".
  const UNSTORABLE: [string, string][] = [
    ['a NUL byte', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00z'],
    ['a reversed surrogate pair', '\udc00\ud800'],
  ]

  let suffix = 0
  const unique = (value: string) => `${value} ${(suffix += 1)}`

  // A username is stored in its NFKC form (src/rules/names.ts)...
  const NORMALISED: [string, string, string][] = [
    ['emoji with a skin tone', '👍🏽 writes', '👍🏽 writes'],
    ['right-to-left script', 'مدونة عربية', 'مدونة عربية'],
    ['stacked combining marks', 'Ze\u0301\u0308\u0327bra', 'Z\u0229\u0301\u0308bra'],
    ['full-width letters', 'ｃｏｒｅｙ', 'corey'],
    ['astral-plane letters', '𝕳𝖊𝖑𝖑𝖔', 'Hello'],
    ['CJK', '日本語のブログ', '日本語のブログ'],
  ]

  // ...and refused when it holds an invisible (format) character.
  const INVISIBLE: [string, string][] = [
    ['emoji joined by a ZWJ', '👩🏽‍💻 writes'],
    ['a right-to-left override', '\u202Eevil\u202C'],
    ['a zero-width space', 'ali\u200Bce'],
    ['a byte-order mark', '\uFEFFbom'],
  ]

  it.each(NORMALISED)('a username with %s is stored and returned in its NFKC form', async (_, value, stored) => {
    const n = (suffix += 1)
    const created = await send('/api/users', jsonPost(JSON.stringify({ ...newUser(), username: `${value} ${n}` })))
    expect(created.status).toBe(201)
    const { id } = created.body as { id: number }
    expect(((await send(`/api/users/${id}`)).body as { username: string }).username).toBe(`${stored} ${n}`)
  })

  it.each(INVISIBLE)('a username with %s is a 422', async (_, value) => {
    expectInvalid(await send('/api/users', jsonPost(JSON.stringify({ ...newUser(), username: value }))), 'body', 'username')
  })

  it.each(STORABLE)('a post with %s is stored and returned exactly', async (_, value) => {
    const post = { title: unique(value), content: `${value}\n${value}` }
    const created = await send('/api/posts', requestInit(operationNamed('createPost'), JSON.stringify(post)))
    expect(created.status).toBe(201)
    const { id } = created.body as { id: number }
    expect((await send(`/api/posts/${id}`)).body).toMatchObject(post)
  })

  it.each(UNSTORABLE)('a username with %s is a 422', async (_, value) => {
    const body = JSON.stringify({ ...newUser(), username: value })
    expect(body).toMatch(/\\u(0000|d[89a-f][0-9a-f]{2})/)
    expectInvalid(await send('/api/users', jsonPost(body)), 'body', 'username')
  })

  it.each(UNSTORABLE)('a new username with %s is a 422', async (_, value) => {
    const op = operationNamed('updateUser')
    expectInvalid(await send(pathOf(op), requestInit(op, JSON.stringify({ username: value }))), 'body', 'username')
  })

  it.each(UNSTORABLE.flatMap(([label, value]) => ['title', 'content'].map((field) => [field, label, value])))(
    'a post %s with %s is a 422',
    async (field, _, value) => {
      const op = operationNamed('createPost')
      const body = JSON.stringify({ title: 'fine', content: 'fine', [field]: value })
      expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', field)
    },
  )

  it.each(UNSTORABLE)('a post edit with %s is a 422', async (_, value) => {
    const op = operationNamed('updatePost')
    expectInvalid(await send(pathOf(op), requestInit(op, JSON.stringify({ title: value }))), 'body', 'title')
  })

  it('a login email with a NUL byte is a 422', async () => {
    const op = operationNamed('login')
    const body = `username=${encodeURIComponent(alice.email)}%00&password=${encodeURIComponent(alice.password)}`
    expectInvalid(await send(pathOf(op), requestInit(op, body)), 'body', 'username')
  })

  // A form carries UTF-8, which has no lone surrogates: their bytes decode to U+FFFD.
  it('a login email with the bytes of a lone surrogate is only a wrong email', async () => {
    const op = operationNamed('login')
    const body = `username=${encodeURIComponent(alice.email)}%ED%A0%80&password=${encodeURIComponent(alice.password)}`
    expect((await send(pathOf(op), requestInit(op, body))).status).toBe(401)
  })

  it.each([
    ['a bell', 'ding\u0007'],
    ['an ANSI escape', '\u001b[31mred'],
    ['a C1 control', 'next\u0085line'],
  ])('a username with %s is a 422', async (_, username) => {
    const body = JSON.stringify({ ...newUser(), username })
    expectInvalid(await send('/api/users', jsonPost(body)), 'body', 'username')
  })

  it('a password with a NUL byte is hashed whole: the part before the NUL does not log in', async () => {
    const user = newUser({ password: 'before\u0000after-the-nul' })
    const created = await send('/api/users', jsonPost(JSON.stringify(user)))
    expect(created.status).toBe(201)
    const op = operationNamed('login')
    const login = (password: string) =>
      send(pathOf(op), requestInit(op, new URLSearchParams({ username: user.email, password }).toString()))
    expect((await login('before')).status).toBe(401)
    expect((await login(user.password)).status).toBe(200)
  })
})

describe('path ids and pagination', () => {
  // Their own app, so that post 16 below is the one its test created.
  let isolated: TestContext
  let actor: { id: number; token: string }
  beforeAll(async () => {
    isolated = await createTestContext({ env: NO_THROTTLE })
    const signedUp = await signUp(isolated)
    actor = { id: signedUp.user.id, token: signedUp.token }
  })
  afterAll(() => isolated.close())

  const sendIsolated = (path: string, init: RequestInit = {}) => send(path, init, isolated)

  const NOT_AN_ID = [
    '1e308',
    '99999999999999999999',
    '-0',
    '-1',
    '0',
    '1.5',
    'NaN',
    'Infinity',
    '9007199254740992',
    '9'.repeat(40),
    '%00',
    '%EF%BC%91', // a full-width digit one
  ]

  describe.each(withPathId)('$name', (op) => {
    const name = idParamOf(op)!
    const init = () => ({
      method: op.method,
      headers: {
        ...contentTypeOf(op),
        ...(op.secured && bearer(actor.token)),
      },
      ...(op.body && { body: encode(op, validBody(op)) }),
    })

    it.each(NOT_AN_ID)('with %s as its id is a 422', async (id) => {
      expectInvalid(await sendIsolated(op.template.replace(/{\w+}/, id), init()), 'path', name)
    })
  })

  // Number() reads every one of these as 16; an id is plain digits, as FastAPI reads an int.
  // Post 16 exists and is the caller's own, so a rule that let any of them through deletes it.
  it('DELETE /api/posts/{post_id} with 16 spelled as 0x10, 1.6e1, +16 and the like is a 422 and deletes nothing', async () => {
    const client = isolated.clientAs(actor.token)
    let post16: number | undefined
    for (let n = 1; n <= 16 && post16 === undefined; n += 1) {
      const { data } = await client.POST('/api/posts', { body: { title: `post ${n}`, content: 'x' } })
      if (data?.id === 16) post16 = data.id
    }
    expect(post16, 'post 16 was created').toBe(16)
    for (const id of ['0x10', '0o20', '0b10000', '1.6e1', '16.0', '+16', '%2016', '16%20']) {
      const answer = await sendIsolated(`/api/posts/${id}`, { method: 'DELETE', headers: bearer(actor.token) })
      expectInvalid(answer, 'path', 'post_id')
    }
    expect((await sendIsolated('/api/posts/16')).body).toMatchObject({ id: 16, user_id: actor.id })
  })

  describe.each(paginated)('$name', (op) => {
    const path = () => op.template.replace('{user_id}', String(actor.id))

    it.each([
      ['skip=-1', 'skip'],
      ['skip=1.5', 'skip'],
      ['skip=1e20', 'skip'],
      ['skip=1e15', 'skip'],
      ['skip=', 'skip'],
      ['skip=0x10', 'skip'],
      ['skip=99999999999999999999', 'skip'],
      ['skip=NaN', 'skip'],
      ['skip=abc', 'skip'],
      ['skip=0&skip=1', 'skip'],
      ['limit=0', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=101', 'limit'],
      ['limit=1e308', 'limit'],
      ['limit=Infinity', 'limit'],
      ['limit=1&limit=2', 'limit'],
    ])('?%s is a 422', async (query, name) => {
      expectInvalid(await sendIsolated(`${path()}?${query}`), 'query', name)
    })

    it.each(['skip=9007199254740991', 'skip=1000000000000000', 'skip=9007199254740991&limit=100'])(
      '?%s is an empty page',
      async (query) => {
        const answer = await sendIsolated(`${path()}?${query}`)
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({ posts: [], has_more: false })
      },
    )
  })
})

describe('races and unusual keys', () => {
  /** Sends 50 registrations at once; exactly one wins and every other one gets the same 400. */
  async function race(registration: (i: number) => object, detail: string) {
    const before = await snapshotDb(ctx.orm)
    const attempts = Array.from({ length: 50 }, (_, i) =>
      ctx.fetch('/api/users', jsonPost(JSON.stringify(registration(i)))),
    )
    const responses = await Promise.all(attempts)
    expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array<number>(49).fill(400)])
    const losers = await Promise.all(responses.filter((r) => r.status === 400).map((r) => r.json()))
    expect(losers).toEqual(Array<object>(49).fill({ detail }))
    expect((await snapshotDb(ctx.orm)).users).toHaveLength(before.users.length + 1)
  }

  it('50 concurrent registrations of one email give one 201 and 49 400s', async () => {
    const email = 'race@example.com'
    await race((i) => ({ ...newUser(), email: i % 2 ? email.toUpperCase() : email }), 'Email already exists')
  })

  it('50 concurrent registrations of one username give one 201 and 49 400s', async () => {
    await race((i) => ({ ...newUser(), username: i % 2 ? 'RaceWinner' : 'racewinner' }), 'Username already exists')
  })

  // JSON.parse makes "__proto__" an own key. A body copied with Object.assign or a deep merge
  // would take it as the prototype, and the title would be inherited and pass validation.
  it('a field sent only inside __proto__ is missing, not inherited', async () => {
    const body = '{"__proto__": {"title": "inherited"}, "content": "x"}'
    expectInvalid(await send('/api/posts', requestInit(operationNamed('createPost'), body)), 'body', 'title')
  })

  it('a body that repeats a key is read as its last value, in the response and in storage alike', async () => {
    const body = '{"title": "first", "title": "second", "content": "x"}'
    const answer = await send('/api/posts', requestInit(operationNamed('createPost'), body))
    expect(answer.status).toBe(201)
    const { id } = answer.body as { id: number }
    expect((await send(`/api/posts/${id}`)).body).toMatchObject({ title: 'second' })
  })
})
