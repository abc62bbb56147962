import { describe, expect, it } from 'vitest'
import { keyExistingUsers } from '../../src/db/name-keys.js'
import { nameKey, normalizeName, VISIBLE_TEXT } from '../../src/rules/names.js'

describe('nameKey', () => {
  it.each([
    ['case beyond ASCII', ['ÄB', 'äb', 'Äb']],
    ['composed and decomposed', ['Jos\u00E9', 'Jose\u0301', 'JOSE\u0301']],
    ['full-width and styled letters', ['corey', 'ｃｏｒｅｙ', 'ＣＯＲＥＹ', '𝐜𝐨𝐫𝐞𝐲']],
    ['ß, ẞ and ss', ['strasse', 'straße', 'STRAẞE', 'STRASSE']],
    ['final and medial sigma', ['οδος', 'ΟΔΟΣ', 'οδοσ']],
    ['surrounding spaces', ['dana', ' dana ', '\u3000dana\u00A0']],
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
    for (const name of ['Straße', 'ＪＯＳÉ', 'ǰ', 'İstanbul', 'ﬁnn']) {
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
})

describe('keyExistingUsers', () => {
  it("keeps a key the lowest id holds, and tells the others apart without taking another row's key", () => {
    const { keys, reports } = keyExistingUsers([
      { id: 9, username: 'josé#2', email: 'c@example.com' }, // a real name that looks like a told-apart key
      { id: 2, username: 'JOSÉ', email: 'b@example.com' },
      { id: 1, username: 'José', email: 'a@example.com' },
    ])
    expect(keys).toEqual([
      { id: 1, usernameKey: 'josé', emailKey: 'a@example.com' },
      { id: 2, usernameKey: 'josé#2#', emailKey: 'b@example.com' },
      { id: 9, usernameKey: 'josé#2', emailKey: 'c@example.com' },
    ])
    expect(reports).toEqual(['username key shared by users 1, 2: user 1 keeps it, user 2 gets "<key>#<id>" until a new username is chosen'])
  })
})
