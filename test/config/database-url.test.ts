import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { freePort } from '../support/server-process.js'

const SECRET = 'a-secret-key-for-config-tests-0123456789'

describe('DATABASE_URL', () => {
  it('reads SQLite paths and PostgreSQL URLs with their parts', () => {
    expect(parseDatabaseUrl('sqlite:data/blog.db')).toEqual({ kind: 'sqlite', path: 'data/blog.db' })
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' })
    expect(parseDatabaseUrl('postgresql://blog:p%40ss@db.internal:6543/blog_prod?sslmode=verify-full')).toEqual({
      kind: 'postgresql',
      host: 'db.internal',
      port: 6543,
      database: 'blog_prod',
      user: 'blog',
      password: 'p@ss',
      ssl: { rejectUnauthorized: true },
    })
    expect(parseDatabaseUrl('postgres://127.0.0.1/blog')).toMatchObject({ port: 5432, user: 'postgres', password: '', ssl: false })
    expect(parseDatabaseUrl('postgres://h/blog?sslmode=require')).toMatchObject({ ssl: { rejectUnauthorized: false } })
  })

  it.each([
    ['mysql://root@localhost/blog', 'must start with sqlite:, postgres:// or postgresql://'],
    ['blog.db', 'must look like sqlite:<path>, sqlite::memory: or postgres://user:password@host:5432/database'],
    ['postgres://user:hunter2hunter2@db.internal', 'must name a host and a database'],
    ['postgres://user:hunter2hunter2@db.internal/blog?sslmode=sometimes', 'has an unknown sslmode'],
  ])('refuses %s, naming DATABASE_URL and never its password', (url, reason) => {
    let error: unknown
    try {
      loadConfig({ env: { SECRET_KEY: SECRET, DATABASE_URL: url }, envFile: null })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toMatch(/^Invalid configuration: DATABASE_URL /)
    expect(message).toContain(reason)
    expect(message).not.toContain('hunter2')
  })

  it('takes DB_POOL_MAX as a positive integer, 10 by default', () => {
    expect(loadConfig({ env: { SECRET_KEY: SECRET }, envFile: null }).dbPoolMax).toBe(10)
    expect(loadConfig({ env: { SECRET_KEY: SECRET, DB_POOL_MAX: '3' }, envFile: null }).dbPoolMax).toBe(3)
    expect(() => loadConfig({ env: { SECRET_KEY: SECRET, DB_POOL_MAX: '0' }, envFile: null })).toThrow(/DB_POOL_MAX/)
  })
})

function startServer(env: Record<string, string>) {
  const server = join(process.cwd(), 'src/server.ts')
  const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href
  return spawnSync(process.execPath, ['--import', tsx, server], {
    cwd: mkdtempSync(join(tmpdir(), 'blog-config-')),
    env: { PATH: process.env.PATH, SECRET_KEY: SECRET, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  })
}

describe('starting the server', () => {
  it('stops with one line naming DATABASE_URL when it is malformed', () => {
    const result = startServer({ DATABASE_URL: 'postgres://blog:hunter2hunter2@db.internal' })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toMatch(/^Invalid configuration: DATABASE_URL must name a host and a database/)
    expect(result.stdout + result.stderr).not.toContain('hunter2')
  })

  it('stops with one line saying where and why when the database cannot be reached, without the password', async () => {
    const port = await freePort()
    const result = startServer({ DATABASE_URL: `postgres://blog:hunter2hunter2@127.0.0.1:${port}/blog` })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(
      `Cannot use the database (PostgreSQL 127.0.0.1:${port}/blog): connect ECONNREFUSED 127.0.0.1:${port}`,
    )
    expect(result.stdout + result.stderr).not.toContain('hunter2')
  })
})
