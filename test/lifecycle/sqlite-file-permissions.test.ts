import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { initORM, type Orm } from '../../src/db/orm.js'
import { silentLog, type Log } from '../../src/http/logger.js'
import { logTo } from '../support/log.js'

// The database holds password hashes and emails: nobody but the service's own user may read it.
// The files are checked while the service has them open, as another local user would find them.

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8)

let dir = ''
let orm: Orm | undefined
afterEach(async () => {
  await orm?.close()
  orm = undefined
  rmSync(dir, { recursive: true, force: true })
})

/** Opens the database and writes to it, so that SQLite has made its -wal and -shm files. */
async function openAndWrite(path: string, log: Log = silentLog): Promise<Orm> {
  const opened = await initORM(`sqlite:${path}`, { log })
  await opened.em.getConnection().execute("insert into counters (name, value) values ('permissions test', 1) on conflict do nothing")
  return opened
}

describe('a SQLite file database', () => {
  it('is made in a folder of its own that only its owner may enter, and every file of it only its owner may read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'blog-permissions-'))
    const path = join(dir, 'var', 'data', 'blog.db')
    orm = await openAndWrite(path)
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file), file).toBe(true)
      expect(modeOf(file), file).toBe('600')
    }
    expect(modeOf(join(dir, 'var', 'data'))).toBe('700')
    expect(modeOf(join(dir, 'var'))).toBe('700')
  })

  it('keeps -wal and -shm made later, after a restart, private too', async () => {
    dir = mkdtempSync(join(tmpdir(), 'blog-permissions-'))
    const path = join(dir, 'blog.db')
    await (await openAndWrite(path)).close()
    // The last connection's close removes -wal and -shm; the next start makes them anew.
    expect(existsSync(`${path}-wal`)).toBe(false)
    orm = await openAndWrite(path)
    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual(['600', '600', '600'])
  })

  it('takes back what others could read of a database an earlier version left, and says so; the folder it is in is left as it was', async () => {
    dir = mkdtempSync(join(tmpdir(), 'blog-permissions-'))
    const folder = join(dir, 'shared')
    mkdirSync(folder, { mode: 0o755 })
    chmodSync(folder, 0o755)
    const path = join(folder, 'blog.db')
    await (await openAndWrite(path)).close()
    chmodSync(path, 0o644)

    const logged: Record<string, unknown>[] = []
    orm = await openAndWrite(path, logTo((entry) => logged.push(entry)))
    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual(['600', '600', '600'])
    expect(modeOf(folder)).toBe('755')
    expect(logged).toEqual([{ level: 'warn', time: expect.any(String), msg: `Database file ${path} could be read by other users (mode 644): now 600` }])
  })
})
