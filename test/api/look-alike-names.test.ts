import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { createTestContext, type TestContext } from '../support/context.js'
import { newUser, signUp } from '../support/users.js'

// Usernames and emails that look the same are the same (src/rules/names.ts): names are stored
// NFKC-normalised and trimmed, and invisible characters are refused. Every name below is used
// once in the file.

// This suite is about names, not password hashing.
useCheapArgon2()

let ctx: TestContext
beforeAll(async () => (ctx = await createTestContext()))
afterAll(() => ctx.close())

const countUsers = () => ctx.orm.em.fork().count(User, {})

const INVISIBLE_MESSAGE = 'Username must not contain control, format, private-use or unassigned characters'

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

// White space only: NFKC makes each of these spaces U+0020, and trimming leaves nothing.
const ONLY_SPACES = [' ', '     ', '\u3000', '\u00A0\u2003 ']

describe('POST /api/users', () => {
  it.each(INVISIBLE)('refuses a username with %s: 422, no account', async (_, username) => {
    const before = await countUsers()
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username }) })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([{ loc: ['body', 'username'], msg: INVISIBLE_MESSAGE, type: 'string_pattern_mismatch' }])
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

  it('stores the username trimmed and NFKC-normalised, keeping its casing', async () => {
    for (const [sent, stored] of [
      ['  Zoe\u0308 ', 'Zo\u00EB'],
      ['Ｍａｘ', 'Max'],
      ['ﬂoRA', 'floRA'],
      ['\u00A0Ünal\u2003Kaya\u3000', 'Ünal Kaya'],
    ]) {
      const { response, data } = await ctx.client.POST('/api/users', { body: newUser({ username: sent }) })
      expect(response.status, sent).toBe(201)
      expect(data?.username).toBe(stored)
      const profile = await ctx.client.GET('/api/users/{user_id}', { params: { path: { user_id: data!.id } } })
      expect(profile.data?.username).toBe(stored)
    }
  })

  it('measures the length of the normalised name: a name that NFKC lengthens past 50 is a 422', async () => {
    // U+FB03 (ﬃ) is three letters once normalised: 17 of them are 17 characters sent, 51 stored.
    const { response, error } = await ctx.client.POST('/api/users', { body: newUser({ username: '\uFB03'.repeat(17) }) })
    expect(response.status).toBe(422)
    expect(error?.detail).toEqual([
      { loc: ['body', 'username'], msg: 'String should have at most 50 characters', type: 'string_too_long' },
    ])
  })

})

describe('PATCH /api/users/{user_id}', () => {
  it.each([...INVISIBLE, ['only spaces', '   ']])('refuses a new username with %s: 422, nothing changes', async (_, username) => {
    const alice = await signUp(ctx)
    const { response } = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username },
    })
    expect(response.status).toBe(422)
    const me = await alice.client.GET('/api/users/me')
    expect(me.data?.username).toBe(alice.username)
  })

  it('stores a new username and email normalised', async () => {
    const alice = await signUp(ctx, { username: 'Jose\u0301 A' })
    const renamed = await alice.client.PATCH('/api/users/{user_id}', {
      params: { path: { user_id: alice.user.id } },
      body: { username: '  ＪＯＳÉ　A ', email: 'ＪＯＳＥ.Ａ@example.com' },
    })
    expect(renamed.response.status).toBe(200)
    expect(renamed.data).toMatchObject({ username: 'JOSÉ A', email: 'jose.a@example.com' })
  })
})
