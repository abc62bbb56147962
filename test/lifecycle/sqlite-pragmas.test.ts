import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { initORM, type Orm } from '../../src/db/orm.js'

async function pragma(orm: Orm, name: string): Promise<unknown> {
  const [row] = await orm.em.getConnection().execute<Record<string, unknown>[]>(`pragma ${name}`)
  return Object.values(row ?? {})[0]
}

describe('SQLite connection settings', () => {
  let dir: string
  let orm: Orm | undefined

  afterEach(async () => {
    await orm?.close()
    orm = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs a file database in WAL mode with synchronous=NORMAL and a busy timeout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'blog-pragmas-'))
    orm = await initORM(`sqlite:${join(dir, 'blog.db')}`)
    expect(await pragma(orm, 'journal_mode')).toBe('wal')
    expect(await pragma(orm, 'synchronous')).toBe(1)
    expect(await pragma(orm, 'busy_timeout')).toBe(5000)
    expect(await pragma(orm, 'foreign_keys')).toBe(1)
  })
})
