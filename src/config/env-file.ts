import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'

export type EnvSource = Record<string, string | undefined>

/**
 * On a fresh checkout there is neither a `.env` nor a SECRET_KEY: write a `.env` holding a new
 * random key (like Python's `secrets.token_hex(32)`) so `npm start` works without hand-editing.
 * Returns true when it wrote the file.
 */
export function createEnvFileIfMissing(path: string, env: EnvSource): boolean {
  if (existsSync(path) || env.SECRET_KEY !== undefined) return false
  const key = randomBytes(32).toString('hex')
  const body = [
    '# Written on first start because no .env existed. Keep it out of version control.',
    '# See .env.example for every setting.',
    `SECRET_KEY=${key}`,
    '',
  ].join('\n')
  writeFileSync(path, body, { mode: 0o600, flag: 'wx' })
  return true
}
