import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { initORM } from '../../src/db/orm.js'
import { preparedQuery, queryPrepared } from '../../src/db/prepared.js'
import { silentLog } from '../../src/http/logger.js'

const ANY_USER = preparedQuery('test_any_user', 'select id from users where id = ?')

describe('a SQLite connection with prepared statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prepared-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  // SQLite refuses to close a connection whose statements are not finalized; a closed WAL
  // database checkpoints and removes its -wal file, an unclosed one keeps it.
  it('still closes, leaving no write-ahead log behind', async () => {
    const path = join(dir, 'blog.db')
    const orm = await initORM(`sqlite:${path}`, { log: silentLog })
    await queryPrepared(orm.em.fork(), ANY_USER, [1])
    expect(existsSync(`${path}-wal`)).toBe(true)
    await orm.close()
    expect(existsSync(`${path}-wal`)).toBe(false)
  })
})
