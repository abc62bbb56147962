import { describe, expect, it } from 'vitest'
import { CURRENT_RULES, KEYS_ADDED_RULES, keyExistingUsers, rekeyExistingUsers } from '../../src/db/name-keys.js'
import { isAcceptedUsername, nameKey, normalizeName, VISIBLE_TEXT } from '../../src/rules/names.js'

describe('nameKey', () => {
  it.each([
    ['case beyond ASCII', ['ÄB', 'äb', 'Äb']],
    ['composed and decomposed', ['Jos\u00E9', 'Jose\u0301', 'JOSE\u0301']],
    ['full-width and styled letters', ['corey', 'ｃｏｒｅｙ', 'ＣＯＲＥＹ', '𝐜𝐨𝐫𝐞𝐲']],
    ['ß, ẞ and ss', ['strasse', 'straße', 'STRAẞE', 'STRASSE']],
    ['final and medial sigma', ['οδος', 'ΟΔΟΣ', 'οδοσ']],
    ['surrounding spaces', ['dana', ' dana ', '\u3000dana\u00A0']],
    // Names registered before these characters were refused share the plain name's key.
    ['default-ignorable characters', ['alice', 'alice\u034F', 'al\uFE0Fice', '\u{E0100}alice', 'alice\u115F', 'alice\u3164', 'alice\u180B', 'alice\u17B4', 'ali\u200Bce', 'alice\uFFA0']],
    ['braille blanks', ['alice', 'alice\u2800', '\u2800\u2800alice']],
    ['an ignorable character between a space and the end', ['alice', 'alice \u034F', '\u2800 alice']],
    ['a grapheme joiner that kept a mark from composing', ['Jos\u00E9', 'Jose\u034F\u0301']],
  ])('gives one key to %s', (_, names) => {
    expect(new Set(names.map(nameKey))).toEqual(new Set([nameKey(names[0]!)]))
  })

  it.each([
    ['different letters', 'alice', 'alicf'],
    ['a letter and the letter with a mark', 'jose', 'josé'],
    ['inner spaces', 'a b', 'ab'],
  ])('tells apart %s', (_, a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b))
  })

  it('is the key of its own key, and of the normalised name', () => {
    for (const name of ['Straße', 'ＪＯＳÉ', 'ǰ', 'İstanbul', 'ﬁnn', 'e\u034F\u0301', ' \u2800ﬁ\u00A0']) {
      expect(nameKey(nameKey(name))).toBe(nameKey(name))
      expect(nameKey(normalizeName(name))).toBe(nameKey(name))
    }
  })
})

describe('VISIBLE_TEXT', () => {
  it('refuses controls, format characters, unpaired surrogates, private use, unassigned and line separators', () => {
    for (const hidden of ['\u0000', '\u0007', '\u0085', '\u200B', '\u200D', '\u202E', '\uFEFF', '\u{E0041}', '\ud800', '\uE000', '\u0378', '\u2028', '\u2029']) {
      expect(VISIBLE_TEXT.test(`a${hidden}b`), JSON.stringify(hidden)).toBe(false)
    }
    for (const visible of ['alice', 'José', 'مدونة', '日本語', '👍🏽', 'a b', 'Ze\u0301bra']) {
      expect(VISIBLE_TEXT.test(visible), visible).toBe(true)
    }
  })

  it('refuses every default-ignorable code point and the braille blank, letters among them', () => {
    for (const hidden of ['\u034F', '\u115F', '\u1160', '\u17B4', '\u17B5', '\u180B', '\u180F', '\u3164', '\uFE00', '\uFE0F', '\uFFA0', '\u{E0100}', '\u{E01EF}', '\u2800']) {
      expect(VISIBLE_TEXT.test(`a${hidden}b`), hidden.codePointAt(0)!.toString(16)).toBe(false)
    }
  })

  it('reads the same before and after normalising: NFKC and case folding make no refused character of an accepted one', () => {
    const made: string[] = []
    for (let code = 0; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const character = String.fromCodePoint(code)
      if (!VISIBLE_TEXT.test(character)) continue
      const key = nameKey(`a${character}b`)
      if (!VISIBLE_TEXT.test(normalizeName(character)) || !VISIBLE_TEXT.test(key)) made.push(code.toString(16))
    }
    expect(made).toEqual([])
  })
})

describe('isAcceptedUsername', () => {
  it('needs a letter or a digit once normalised, and nothing invisible', () => {
    for (const name of ['alice', '42', 'x_y', '日本語', '\u2167', '\u2121', 'Zoe\u0308', 'a b']) {
      expect(isAcceptedUsername(name), name).toBe(true)
    }
    for (const name of ['', '   ', '\u3164', '\u2800\u2800', '\u0301\u0308', '\u20DD', '._-', '\u2605', '\u037A', 'alice\u034F', 'ali\u200Bce']) {
      expect(isAcceptedUsername(name), JSON.stringify(name)).toBe(false)
    }
  })
})

describe('keyExistingUsers', () => {
  it("keeps a key the lowest id holds, and tells the others apart without taking another row's key", () => {
    const { keys, reports } = keyExistingUsers(
      [
        { id: 9, username: 'josé#2', email: 'c@example.com' }, // a real name that looks like a told-apart key
        { id: 2, username: 'JOSÉ', email: 'b@example.com' },
        { id: 1, username: 'José', email: 'a@example.com' },
      ],
      KEYS_ADDED_RULES,
    )
    expect(keys).toEqual([
      { id: 1, usernameKey: 'josé', emailKey: 'a@example.com' },
      { id: 2, usernameKey: 'josé#2#', emailKey: 'b@example.com' },
      { id: 9, usernameKey: 'josé#2', emailKey: 'c@example.com' },
    ])
    expect(reports).toEqual(['username key shared by users 1, 2: user 1 keeps it, user 2 gets "<key>#<id>" until a new username is chosen'])
  })
})

describe('KEYS_ADDED_RULES', () => {
  it('keys and refuses as the migration that added the keys did, before default-ignorable characters were left out', () => {
    expect(KEYS_ADDED_RULES.key(' ＡＬＩＣＥ\u034F ')).toBe('alice\u034F')
    expect(KEYS_ADDED_RULES.refuses('ali\u200Bce')).toBe(true)
    expect(KEYS_ADDED_RULES.refuses('   ')).toBe(true)
    expect(KEYS_ADDED_RULES.refuses('alice\u034F')).toBe(false)
    expect(KEYS_ADDED_RULES.refuses('\u3164')).toBe(false)
    expect(CURRENT_RULES.key(' ＡＬＩＣＥ\u034F ')).toBe('alice')
  })
})

describe('rekeyExistingUsers', () => {
  // Rows as the API stored them under the earlier rules: each key KEYS_ADDED_RULES.key of its name.
  const stored = (id: number, username: string, usernameKey = KEYS_ADDED_RULES.key(username)) => ({
    id,
    username,
    email: `u${id}@example.com`,
    usernameKey,
    emailKey: `u${id}@example.com`,
  })

  it('changes the keys that leave out ignorable characters now, and reports only what is new', () => {
    const { changed, reports } = rekeyExistingUsers(
      [
        stored(1, 'José'),
        stored(2, 'JOSÉ', 'josé#2'), // told apart before, and reported then
        stored(3, 'alice\u034F'), // an impostor that registered first
        stored(4, 'Alice'),
        stored(5, 'bob\u2800'), // no twin: its key becomes the plain one
        stored(6, '\u3164'),
        stored(7, '._-'),
        stored(8, 'ali\u200Bce'), // refused by the earlier rules too, and reported then
      ],
      KEYS_ADDED_RULES,
    )
    expect(changed).toEqual([
      { id: 3, usernameKey: 'alice', emailKey: 'u3@example.com' },
      { id: 4, usernameKey: 'alice#4', emailKey: 'u4@example.com' },
      { id: 5, usernameKey: 'bob', emailKey: 'u5@example.com' },
      { id: 6, usernameKey: '', emailKey: 'u6@example.com' },
      { id: 8, usernameKey: 'alice#8', emailKey: 'u8@example.com' },
    ])
    expect(reports).toEqual([
      'username key shared by users 3, 4, 8: user 3 keeps it, users 4, 8 get "<key>#<id>" until a new username is chosen',
      'users 3, 5, 6, 7: a username the new rules refuse (invisible characters, or no letter or digit), kept as it is',
    ])
  })

  it('changes nothing and reports nothing for rows keyed by the rules of today', () => {
    const rows = [stored(1, 'José', 'josé'), stored(2, 'JOSÉ', 'josé#2'), stored(3, 'alice', 'alice')]
    expect(rekeyExistingUsers(rows, CURRENT_RULES)).toEqual({ changed: [], reports: [] })
  })
})
