import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { newUser, register, signUp } from '../support/users.js'

// Usernames and emails that look the same are the same (src/rules/names.ts): names are stored
// NFKC-normalised and trimmed, invisible characters are refused, and uniqueness is on a
// case-folded key, on SQLite and PostgreSQL alike. Every name below is used once in the file.

// This suite is about names, not password hashing.
useCheapArgon2()

let ctx: TestContext
beforeAll(async () => (ctx = await createTestContext()))
afterAll(() => ctx.close())

const countUsers = () => ctx.orm.em.fork().count(User, {})

const INVISIBLE_MESSAGE = 'Username must not contain control, format, private-use, unassigned or other invisible characters'

// Each hides an invisible character in "alice".
const INVISIBLE: [string, string][] = [
  ['a zero-width space (U+200B)', 'ali\u200Bce'],
  ['a right-to-left override (U+202E)', '\u202Eecila'],
  ['a byte-order mark (U+FEFF)', '\uFEFFalice'],
  ['a tag character (U+E0041)', 'alice\u{E0041}'],
  ['a zero-width joiner (U+200D)', 'al\u200Dice'],
  ['a soft hyphen (U+00AD)', 'ali\u00ADce'],
  ['a private-use character (U+E000)', 'alice\uE000'],
  ['an unassigned code point (U+0378)', 'alice\u0378'],
  ['a line separator (U+2028)', 'alice\u2028'],
]

// Each is a character that is invisible without being a control or format character: the
// default-ignorable code points (fillers, variation selectors, a grapheme joiner, a vowel
// inherent) and the braille blank. Added to a name, it made a second account that looked the same.
const IGNORABLE: [string, string][] = [
  ['a combining grapheme joiner (U+034F)', '\u034F'],
  ['an emoji variation selector (U+FE0F)', '\uFE0F'],
  ['a supplementary variation selector (U+E0100)', '\u{E0100}'],
  ['a Hangul choseong filler (U+115F)', '\u115F'],
  ['a Hangul filler (U+3164)', '\u3164'],
  ['a Mongolian free variation selector (U+180B)', '\u180B'],
  ['a Khmer inherent vowel (U+17B4)', '\u17B4'],
  ['a half-width Hangul filler (U+FFA0)', '\uFFA0'],
  ['a braille blank (U+2800)', '\u2800'],
]

// Names with nothing to read in them, and what each is told.
const NO_LETTER_MESSAGE = 'Username must contain a letter or a digit'
const NOTHING_TO_READ: [string, string, string][] = [
  ['a Hangul filler alone', '\u3164', INVISIBLE_MESSAGE],
  ['two braille blanks', '\u2800\u2800', INVISIBLE_MESSAGE],
  ['combining marks alone', '\u0301\u0308', NO_LETTER_MESSAGE],
  ['one enclosing mark', '\u20DD', NO_LETTER_MESSAGE],
  ['punctuation alone', '._-', NO_LETTER_MESSAGE],
  ['a symbol alone', '\u2605', NO_LETTER_MESSAGE],
  ['a Greek ypogegrammeni, which NFKC makes a space and a mark', '\u037A', NO_LETTER_MESSAGE],
]

// White space only: NFKC makes each of these spaces U+0020, and trimming leaves nothing.
const ONLY_SPACES = [' ', '     ', '\u3000', '\u00A0\u2003 ']

// Pairs that were two accounts and must be one.
const LOOK_ALIKES: [string, string, string][] = [
  ['composed and decomposed é', 'Jos\u00E9', 'Jose\u0301'],
  ['Ä and ä (case beyond ASCII, which SQLite lower() missed)', 'ÄB', 'äb'],
  ['full-width and plain letters', 'ｃｏｒｅｙ', 'corey'],
  ['ß and SS', 'Straße', 'STRASSE'],
  ['ẞ and ss', 'GROẞ', 'gross'],
  ['a ligature and its letters', 'ﬁnn', 'FINN'],
  ['leading and trailing spaces', 'dana', '  dana\u3000'],
]

describe('POST /api/users', () => {
  it.each(INVISIBLE)('refuses a username with %s: 422, no account', async (_, username) => {
    const before = await countUsers()
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username }) })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([{ loc: ['body', 'username'], msg: INVISIBLE_MESSAGE, type: 'string_pattern_mismatch' }])
    expect(await countUsers()).toBe(before)
  })

  it.each(IGNORABLE)('refuses a username that adds %s to a taken one: 422, no account', async (_, ignorable) => {
    const plain = `ivy${ignorable.codePointAt(0)!.toString(16)}`
    await register(ctx, newUser({ username: plain }))
    const before = await countUsers()
    for (const username of [`${plain}${ignorable}`, `${ignorable}${plain}`, `iv${ignorable}y${plain.slice(3)}`]) {
      const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username }) })
      expect(response.status, JSON.stringify(username)).toBe(422)
      expect(error?.detail).toEqual([{ loc: ['body', 'username'], msg: INVISIBLE_MESSAGE, type: 'string_pattern_mismatch' }])
    }
    expect(await countUsers()).toBe(before)
  })

  it.each(NOTHING_TO_READ)('refuses a username of %s: 422, no account', async (_, username, message) => {
    const before = await countUsers()
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username }) })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([{ loc: ['body', 'username'], msg: message, type: 'string_pattern_mismatch' }])
    expect(await countUsers()).toBe(before)
  })

  it.each(ONLY_SPACES.map((username) => [JSON.stringify(username), username]))(
    'refuses a username of only spaces, %s: 422, no account',
    async (_, username) => {
      const before = await countUsers()
      const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username }) })
      expect(response.status).toBe(422)
      expect(error?.detail).toEqual([
        { loc: ['body', 'username'], msg: 'Username must not be only spaces', type: 'string_too_short' },
      ])
      expect(await countUsers()).toBe(before)
    },
  )

  // Any script's letters or digits make a name, and NFKC may give it letters; it is stored
  // trimmed and NFKC-normalised, its casing kept.
  it.each([
    ['日本語', '日本語'],
    ['42', '42'],
    ['x_y', 'x_y'],
    ['\u2167', 'VIII'],
    ['\u2121', 'TEL'],
    ['\u00B2', '2'],
    ['  Zoe\u0308 ', 'Zo\u00EB'],
    ['Ｍａｘ', 'Max'],
    ['ﬂoRA', 'floRA'],
    ['\u00A0Ünal\u2003Kaya\u3000', 'Ünal Kaya'],
  ])('takes the username %j and stores it as %j', async (sent, stored) => {
    const { response, data } = await ctx.client.POST('/api/users', { body: newUser({ username: sent }) })
    expect(response.status).toBe(201)
    expect(data?.username).toBe(stored)
    const profile = await ctx.client.GET('/api/users/{user_id}', { params: { path: { user_id: data!.id } } })
    expect(profile.data?.username).toBe(stored)
  })

  it('measures the length of the normalised name: a name that NFKC lengthens past 50 is a 422', async () => {
    // U+FB03 (ﬃ) is three letters once normalised: 17 of them are 17 characters sent, 51 stored.
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username: '\uFB03'.repeat(17) }) })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([
      { loc: ['body', 'username'], msg: 'String should have at most 50 characters', type: 'string_too_long' },
    ])
  })

  it.each(LOOK_ALIKES)('takes %s for one username: the second is a 400', async (_, first, second) => {
    await register(ctx, newUser({ username: first }))
    const before = await countUsers()
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username: second }) })
    expect(response.status).toBe(400)
    expect(error).toEqual({ detail: 'Username already exists' })
    expect(await countUsers()).toBe(before)
  })

  it('makes one account of one name sent in seven disguises', async () => {
    const before = await countUsers()
    const disguises = ['mallory', 'MALLORY', 'ｍａｌｌｏｒｙ', ' mallory ', 'Mallory\u200B', '\u202Emallory', 'mallory\uFEFF']
    const statuses: number[] = []
    for (const username of disguises) {
      statuses.push((await ctx.client.POST('/api/users', { body: newUser({ username }) })).response.status)
    }
    expect(statuses).toEqual([201, 400, 400, 400, 422, 422, 422])
    expect(await countUsers()).toBe(before + 1)
  })

  it.each([
    ['case', 'Erin@Example.COM', 'erin@example.com'],
    ['full-width letters (NFKC)', 'ｅｒｉｎ２@ｅｘａｍｐｌｅ.ｃｏｍ', 'erin2@example.com'],
    ['surrounding spaces', '  erin3@example.com\u3000', 'erin3@example.com'],
  ])('takes emails that differ only by %s for one email, stored in its plain form', async (_, first, second) => {
    const created = await register(ctx, newUser({ email: first }))
    expect(created.email).toBe(second)
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ email: second }) })
    expect(response.status).toBe(400)
    expect(error).toEqual({ detail: 'Email already exists' })
  })
})

describe('PATCH /api/users/{user_id}', () => {
  it.each([
    ...INVISIBLE,
    ...IGNORABLE.map(([label, ignorable]): [string, string] => [label, `alice${ignorable}`]),
    ...NOTHING_TO_READ.map(([label, name]): [string, string] => [label, name]),
    ['only spaces', '   '],
  ])('refuses a new username with %s: 422, nothing changes', async (_, username) => {
    const alice = await signUp(ctx)
    const { response } = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username },
    })
    expect(response.status).toBe(422)
    const me = await alice.client.GET('/api/users/me')
    expect(me.data?.username).toBe(alice.username)
  })

  it("refuses another user's username or email in another form: 400, nothing changes", async () => {
    await signUp(ctx, { username: 'Jürgen', email: 'juergen@example.com' })
    const alice = await signUp(ctx)
    const patch = (body: { username?: string; email?: string; current_password?: string }) =>
      alice.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } }, body })
    for (const username of ['JU\u0308RGEN', 'ｊüｒｇｅｎ', ' jürgen ']) {
      const { response, error } = await patch({ username })
      expect(response.status, username).toBe(400)
      expect(error).toEqual({ detail: 'Username already exists' })
    }
    for (const email of ['JUERGEN@example.com', 'ｊｕｅｒｇｅｎ@example.com']) {
      const { response, error } = await patch({ email, current_password: alice.password })
      expect(response.status, email).toBe(400)
      expect(error).toEqual({ detail: 'Email already exists' })
    }
    const me = await alice.client.GET('/api/users/me')
    expect(me.data).toMatchObject({ username: alice.username, email: alice.email })
  })

  it('stores a new username and email normalised, and lets you change the form of your own', async () => {
    const alice = await signUp(ctx, { username: 'Jose\u0301 A' })
    const patch = (body: { username?: string; email?: string; current_password?: string }) =>
      alice.client.PATCH('/api/users/{user_id}', { params: { path: { user_id: alice.user.id } }, body })
    const renamed = await patch({ username: '  ＪＯＳÉ　A ', email: 'ＪＯＳＥ.Ａ@example.com', current_password: alice.password })
    expect(renamed.response.status).toBe(200)
    expect(renamed.data).toMatchObject({ username: 'JOSÉ A', email: 'jose.a@example.com' })
  })
})

describe('POST /api/users/token', () => {
  const attempt = (username: string, password: string) =>
    ctx.fetch('/api/users/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    })

  it('finds the account by any form of its email, and counts every form against that email\'s one limit', async () => {
    const frank = newUser({ email: 'frank@example.com' })
    await register(ctx, frank)
    expect((await attempt('ＦＲＡＮＫ@example.com', frank.password)).status).toBe(200)
    for (const email of ['FRANK@example.com', 'ｆｒａｎｋ@example.com', ' frank@example.com', 'Ｆrank@example.com', 'frank@ｅxample.com']) {
      expect((await attempt(email, 'wrong password')).status, email).toBe(401)
    }
    expect((await attempt(frank.email, frank.password)).status).toBe(429)
  })
})
