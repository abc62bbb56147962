import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createEnvFileIfMissing } from '../../src/config/env-file.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'

const SECRET = 'a-secret-key-for-config-tests-0123456789'

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'blog-config-'))
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ env: { SECRET_KEY: SECRET }, envFile: null })
    expect(config).toMatchObject({
      algorithm: 'HS256',
      accessTokenExpireMinutes: 30,
      databaseUrl: 'sqlite:data/blog.db',
      host: '127.0.0.1',
      port: 8000,
      pictureMaxBytes: 5 * 1024 * 1024,
      pictureQueue: { maxWaiting: 8, maxPerUser: 2 },
      logLevel: 'info',
      metrics: { port: undefined, host: '127.0.0.1' },
    })
    expect(config.secretKey.reveal()).toBe(SECRET)
  })

  it('takes pino\'s levels for LOG_LEVEL, and a METRICS_PORT that is not PORT', () => {
    const load = (env: Record<string, string>) => loadConfig({ env: { SECRET_KEY: SECRET, ...env }, envFile: null })
    expect(load({ LOG_LEVEL: 'debug', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({ logLevel: 'debug', metrics: { port: 9464, host: '0.0.0.0' } })
    expect(load({ METRICS_PORT: '' }).metrics.port).toBeUndefined()
    expect(() => load({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/)
    expect(() => load({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/)
    expect(() => load({ PORT: '9000', METRICS_PORT: '9000' })).toThrow(/METRICS_PORT must not be PORT/)
  })

  it('takes the environment first, then .env, then the defaults', () => {
    const envFile = join(tempDir(), '.env')
    writeFileSync(envFile, `SECRET_KEY=${SECRET}\nPORT=9001\nACCESS_TOKEN_EXPIRE_MINUTES=5\n`)
    const config = loadConfig({ env: { PORT: '9002' }, envFile })
    expect(config.port).toBe(9002)
    expect(config.accessTokenExpireMinutes).toBe(5)
    expect(config.secretKey.reveal()).toBe(SECRET)
  })

  it('refuses a missing or short SECRET_KEY with one message naming it', () => {
    expect(() => loadConfig({ env: {}, envFile: null })).toThrow(new ConfigError('Invalid configuration: SECRET_KEY is required'))
    expect(() => loadConfig({ env: { SECRET_KEY: 'short' }, envFile: null })).toThrow(
      /^Invalid configuration: SECRET_KEY must be at least 32 characters long$/,
    )
  })

  it('refuses bad values of the other settings', () => {
    const bad = { ALGORITHM: 'none', ACCESS_TOKEN_EXPIRE_MINUTES: '0', PORT: 'abc', DATABASE_URL: 'postgres://x', PICTURE_MAX_BYTES: '5MB', PICTURE_QUEUE_MAX_PER_USER: '0' }
    const error = (() => {
      try {
        loadConfig({ env: { SECRET_KEY: SECRET, ...bad }, envFile: null })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    for (const name of Object.keys(bad)) expect(error?.message).toContain(name)
  })

  it('reads WEB_CONCURRENCY: 1 by default, a positive integer, or auto for one worker per core', () => {
    const workers = (value?: string) =>
      loadConfig({ env: { SECRET_KEY: SECRET, ...(value !== undefined && { WEB_CONCURRENCY: value }) }, envFile: null }).webConcurrency
    expect(workers()).toBe(1)
    expect(workers('4')).toBe(4)
    expect(workers('auto')).toBe(availableParallelism())
    for (const bad of ['0', '-1', '1.5', '2e1', 'two', '']) {
      expect(() => workers(bad), bad).toThrow(new ConfigError('Invalid configuration: WEB_CONCURRENCY must be a positive integer or "auto"'))
    }
    expect(() => loadConfig({ env: { SECRET_KEY: SECRET, WEB_CONCURRENCY: '2', DATABASE_URL: 'sqlite::memory:' }, envFile: null })).toThrow(
      /^Invalid configuration: WEB_CONCURRENCY must be 1 with sqlite::memory:/,
    )
  })

  it('reads the mail settings: the log without SMTP_URL, links from http://localhost:PORT unless PUBLIC_URL is set', () => {
    const plain = loadConfig({ env: { SECRET_KEY: SECRET, HOST: '0.0.0.0', PORT: '9000' }, envFile: null })
    expect(plain.mail).toMatchObject({ smtpUrl: undefined, from: 'Blog <no-reply@localhost>', publicUrl: 'http://localhost:9000', resetTokenExpireMinutes: 30 })
    const set = loadConfig({
      env: { SECRET_KEY: SECRET, SMTP_URL: 'smtp://me:hunter22@mail.example.com:587', PUBLIC_URL: 'https://blog.example/', RESET_TOKEN_EXPIRE_MINUTES: '10' },
      envFile: null,
    })
    expect(set.mail.smtpUrl?.reveal()).toBe('smtp://me:hunter22@mail.example.com:587')
    expect(set.mail).toMatchObject({ publicUrl: 'https://blog.example', resetTokenExpireMinutes: 10 })
    expect(JSON.stringify(set)).not.toContain('hunter22')
    expect(() => loadConfig({ env: { SECRET_KEY: SECRET, SMTP_URL: 'http://me:hunter22@x' }, envFile: null })).toThrow(
      new ConfigError('Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL'),
    )
    expect(() => loadConfig({ env: { SECRET_KEY: SECRET, PUBLIC_URL: 'blog.example' }, envFile: null })).toThrow(
      new ConfigError('Invalid configuration: PUBLIC_URL must be an http:// or https:// URL'),
    )
  })

  it('takes the passkeys\' relying party from PUBLIC_URL: its host name and its origin; by default localhost, which browsers accept', () => {
    expect(loadConfig({ env: { SECRET_KEY: SECRET }, envFile: null }).passkeys).toEqual({ rpId: 'localhost', origin: 'http://localhost:8000', rpName: 'Blog' })
    const proxied = loadConfig({ env: { SECRET_KEY: SECRET, PUBLIC_URL: 'https://blog.example/' }, envFile: null })
    expect(proxied.passkeys).toMatchObject({ rpId: 'blog.example', origin: 'https://blog.example' })
  })

  it('never shows the secret in logs, JSON or inspection', () => {
    const config = loadConfig({ env: { SECRET_KEY: SECRET }, envFile: null })
    const shown = [JSON.stringify(config), inspect(config), String(config.secretKey), `${config.secretKey}`]
    for (const text of shown) expect(text).not.toContain(SECRET)
    expect(JSON.stringify(config)).toContain('"secretKey":"**********"')
  })
})

describe('first start', () => {
  it('writes a .env with a fresh 64-hex-digit key only when there is neither .env nor SECRET_KEY', () => {
    const dir = tempDir()
    const envFile = join(dir, '.env')
    expect(createEnvFileIfMissing(envFile, { SECRET_KEY: SECRET })).toBe(false)
    expect(createEnvFileIfMissing(envFile, {})).toBe(true)
    const key = /^SECRET_KEY=([0-9a-f]+)$/m.exec(readFileSync(envFile, 'utf8'))?.[1]
    expect(key).toHaveLength(64)
    expect(createEnvFileIfMissing(envFile, {})).toBe(false)
    expect(readFileSync(envFile, 'utf8')).toContain(key)

    const other = join(tempDir(), '.env')
    createEnvFileIfMissing(other, {})
    expect(readFileSync(other, 'utf8')).not.toContain(key)
  })

  it('stops the server with one clear line and a non-zero exit when SECRET_KEY is too short', () => {
    // Started from an empty folder, so no .env of the project's can supply a key.
    const server = join(process.cwd(), 'src/server.ts')
    const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href
    const result = spawnSync(process.execPath, ['--import', tsx, server], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH, SECRET_KEY: 'too-short' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe('Invalid configuration: SECRET_KEY must be at least 32 characters long')
    expect(result.stdout + result.stderr).not.toContain('too-short')
  })
})
