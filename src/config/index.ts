import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { cleanEnv, host, makeValidator, port, str } from 'envalid'
import { parseDatabaseUrl } from './database-url.js'
import { createEnvFileIfMissing } from './env-file.js'
import { Secret } from './secret.js'

export { Secret }

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const secretKey = makeValidator((value) => {
  if (value.length < 32) throw new Error('must be at least 32 characters long')
  return new Secret(value)
})

const positiveInt = makeValidator((value) => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error('must be a positive integer')
  return n
})

/** The default of PICTURE_MAX_BYTES: 5 MiB. The spec states it (src/routes/pictures/). */
export const DEFAULT_PICTURE_MAX_BYTES = 5 * 1024 * 1024

const databaseUrl = makeValidator((value) => {
  parseDatabaseUrl(value)
  return value
})

const specs = {
  SECRET_KEY: secretKey({ desc: 'HMAC key for access tokens, at least 32 characters' }),
  ALGORITHM: str({ choices: ['HS256', 'HS384', 'HS512'] as const, default: 'HS256' }),
  ACCESS_TOKEN_EXPIRE_MINUTES: positiveInt({ default: 30 }),
  DATABASE_URL: databaseUrl({ default: 'sqlite:data/blog.db' }),
  DB_POOL_MAX: positiveInt({ default: 10 }),
  HOST: host({ default: '127.0.0.1' }),
  PORT: port({ default: 8000 }),
  JWT_ISSUER: str({ default: 'blog-api' }),
  JWT_AUDIENCE: str({ default: 'blog-api' }),
  LOGIN_MAX_FAILURES_PER_EMAIL: positiveInt({ default: 5 }),
  LOGIN_MAX_FAILURES_PER_CLIENT: positiveInt({ default: 50 }),
  LOGIN_THROTTLE_WINDOW_MINUTES: positiveInt({ default: 15 }),
  LOG_REQUESTS: str({ choices: ['true', 'false'] as const, default: 'true' }),
  PICTURE_MAX_BYTES: positiveInt({ default: DEFAULT_PICTURE_MAX_BYTES }),
}

export interface Config {
  secretKey: Secret
  algorithm: 'HS256' | 'HS384' | 'HS512'
  accessTokenExpireMinutes: number
  databaseUrl: string
  dbPoolMax: number
  host: string
  port: number
  jwtIssuer: string
  jwtAudience: string
  loginMaxFailuresPerEmail: number
  loginMaxFailuresPerClient: number
  loginThrottleWindowMinutes: number
  logRequests: boolean
  pictureMaxBytes: number
}

export type EnvSource = Record<string, string | undefined>

/** Reads a dotenv file; a missing file is an empty one. */
export function readEnvFile(path: string): EnvSource {
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {}
}

/**
 * Builds the configuration from the process environment first, then the `.env` file, then the
 * defaults. Invalid or missing settings throw one ConfigError naming every bad variable.
 */
export function loadConfig(options: { env?: EnvSource; envFile?: string | null } = {}): Config {
  const env = options.env ?? process.env
  const fromFile = options.envFile === null ? {} : readEnvFile(options.envFile ?? '.env')
  const clean = cleanEnv({ ...fromFile, ...env }, specs, {
    reporter: ({ errors }) => {
      const names = Object.keys(errors)
      if (names.length === 0) return
      const details = names.map((name) => `${name} ${describe(errors[name as keyof typeof errors])}`)
      throw new ConfigError(`Invalid configuration: ${details.join('; ')}`)
    },
  })
  return Object.freeze({
    secretKey: clean.SECRET_KEY,
    algorithm: clean.ALGORITHM,
    accessTokenExpireMinutes: clean.ACCESS_TOKEN_EXPIRE_MINUTES,
    databaseUrl: clean.DATABASE_URL,
    dbPoolMax: clean.DB_POOL_MAX,
    host: clean.HOST,
    port: clean.PORT,
    jwtIssuer: clean.JWT_ISSUER,
    jwtAudience: clean.JWT_AUDIENCE,
    loginMaxFailuresPerEmail: clean.LOGIN_MAX_FAILURES_PER_EMAIL,
    loginMaxFailuresPerClient: clean.LOGIN_MAX_FAILURES_PER_CLIENT,
    loginThrottleWindowMinutes: clean.LOGIN_THROTTLE_WINDOW_MINUTES,
    logRequests: clean.LOG_REQUESTS === 'true',
    pictureMaxBytes: clean.PICTURE_MAX_BYTES,
  })
}

// envalid reports a missing value with an EnvMissingError whose message is the variable's
// description; the value itself is never part of any message, so nothing secret can leak here.
function describe(error: Error | undefined): string {
  if (!error) return 'is invalid'
  return error.name === 'EnvMissingError' ? 'is required' : error.message
}

/** Start-up configuration: writes a first `.env` when needed, then loads and validates. */
export function loadStartupConfig(envFile = '.env'): { config: Config; createdEnvFile: boolean } {
  const createdEnvFile = createEnvFileIfMissing(envFile, process.env)
  return { config: loadConfig({ envFile }), createdEnvFile }
}
