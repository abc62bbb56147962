import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SETTING_NAMES } from '../../src/config/index.js'

// Every setting the service reads is documented where its users look for it.
describe('the settings', () => {
  it('are each in .env.example, as a line of their own', () => {
    const example = readFileSync('.env.example', 'utf8')
    const missing = SETTING_NAMES.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))
    expect(missing).toEqual([])
  })

  it('are each in the table of docs/configuration.md', () => {
    const table = readFileSync('docs/configuration.md', 'utf8')
    expect(SETTING_NAMES.filter((name) => !table.includes(`\`${name}\``))).toEqual([])
  })
})
