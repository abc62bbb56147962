import { existsSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { parseEnv } from 'node:util'
import { cleanEnv, host, makeValidator, port, str, type CleanedEnv } from 'envalid'
import { parseDatabaseUrl } from './database-url.js'
import { createEnvFileIfMissing, type EnvSource } from './env-file.js'
import { Secret } from './secret.js'

export { Secret, type EnvSource }

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

// Addresses and CIDR ranges, comma-separated: `10.0.0.0/8, 192.168.1.10, ::1`.
const addressList = makeValidator((value) => {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean)
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/')
    const family = isIP(address)
    const maxBits = family === 6 ? 128 : 32
    const validBits = bits === undefined || (/^[0-9]+$/.test(bits) && Number(bits) <= maxBits)
    if (family === 0 || !validBits || rest.length > 0) throw new Error(`has "${entry}", which is not an IP address or CIDR range`)
  }
  return entries
})
/** The default of DB_POOL_MAX: connections per process (PostgreSQL). */
export const DEFAULT_DB_POOL_MAX = 10

/** The default of PICTURE_MAX_BYTES: 5 MiB. The spec states it (src/routes/pictures/). */
export const DEFAULT_PICTURE_MAX_BYTES = 5 * 1024 * 1024

const smtpUrl = makeValidator((value) => {
  if (value === '') return undefined
  // Never echo the value: it may hold the SMTP password.
  if (!URL.canParse(value) || !['smtp:', 'smtps:'].includes(new URL(value).protocol)) throw new Error('must be an smtp:// or smtps:// URL')
  return new Secret(value)
})

const publicUrl = makeValidator((value) => {
  if (value === '') return ''
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) throw new Error('must be an http:// or https:// URL')
  return value.replace(/\/+$/, '')
})

const workerCount = makeValidator((value) => {
  if (value === 'auto') return availableParallelism()
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new Error('must be a positive integer or "auto"')
  return n
})

// Empty: off (0; envalid takes undefined for a failed parse).
const optionalPort = makeValidator((value) => {
  if (value === '') return 0
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 65535) throw new Error('must be a port number (1-65535) or empty')
  return n
})

/** pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const databaseUrl = makeValidator((value) => {
  parseDatabaseUrl(value)
  return value
})

const specs = {
  SECRET_KEY: secretKey({ desc: 'HMAC key for access tokens, at least 32 characters' }),
  ALGORITHM: str({ choices: ['HS256', 'HS384', 'HS512'] as const, default: 'HS256' }),
  ACCESS_TOKEN_EXPIRE_MINUTES: positiveInt({ default: 30 }),
  // A session lives this long past its last refresh, and never longer than SESSION_MAX_DAYS.
  REFRESH_TOKEN_EXPIRE_DAYS: positiveInt({ default: 14 }),
  SESSION_MAX_DAYS: positiveInt({ default: 90 }),
  DATABASE_URL: databaseUrl({ default: 'sqlite:data/blog.db' }),
  DB_POOL_MAX: positiveInt({ default: DEFAULT_DB_POOL_MAX }),
  HOST: host({ default: '127.0.0.1' }),
  PORT: port({ default: 8000 }),
  WEB_CONCURRENCY: workerCount({ default: 1 }),
  JWT_ISSUER: str({ default: 'blog-api' }),
  JWT_AUDIENCE: str({ default: 'blog-api' }),
  TRUSTED_PROXIES: addressList({ default: [] }),
  LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: positiveInt({ default: 5 }),
  LOGIN_MAX_FAILURES_PER_CLIENT: positiveInt({ default: 50 }),
  LOGIN_MAX_FAILURES_PER_EMAIL: positiveInt({ default: 100 }),
  LOGIN_THROTTLE_WINDOW_MINUTES: positiveInt({ default: 15 }),
  PASSWORD_CHANGE_MAX_FAILURES_PER_USER: positiveInt({ default: 5 }),
  TWO_FACTOR_MAX_FAILURES_PER_USER: positiveInt({ default: 5 }),
  PASSKEY_OPTIONS_MAX_PER_CLIENT: positiveInt({ default: 100 }),
  REGISTER_MAX_PER_CLIENT: positiveInt({ default: 10 }),
  REGISTER_WINDOW_MINUTES: positiveInt({ default: 60 }),
  HASHING_QUEUE_MAX: positiveInt({ default: 32 }),
  HASHING_QUEUE_MAX_PER_CLIENT: positiveInt({ default: 3 }),
  RESET_MAX_PER_EMAIL_AND_CLIENT: positiveInt({ default: 5 }),
  RESET_MAX_PER_EMAIL: positiveInt({ default: 20 }),
  RESET_MAX_PER_CLIENT: positiveInt({ default: 20 }),
  RESET_WINDOW_MINUTES: positiveInt({ default: 60 }),
  RESET_TOKEN_EXPIRE_MINUTES: positiveInt({ default: 30 }),
  EMAIL_CHANGE_MAX_PER_USER: positiveInt({ default: 5 }),
  EMAIL_CHANGE_MAX_PER_CLIENT: positiveInt({ default: 10 }),
  EMAIL_CHANGE_WINDOW_MINUTES: positiveInt({ default: 60 }),
  VERIFY_TOKEN_EXPIRE_HOURS: positiveInt({ default: 24 }),
  VERIFY_EMAIL_MAX_PER_USER: positiveInt({ default: 3 }),
  VERIFY_MAX_PER_CLIENT: positiveInt({ default: 20 }),
  VERIFY_WINDOW_MINUTES: positiveInt({ default: 60 }),
  REQUIRE_VERIFIED_EMAIL: str({ choices: ['true', 'false'] as const, default: 'false' }),
  SMTP_URL: smtpUrl({ default: undefined }),
  MAIL_FROM: str({ default: 'Blog <no-reply@localhost>' }),
  PUBLIC_URL: publicUrl({ default: '' }),
  LOG_REQUESTS: str({ choices: ['true', 'false'] as const, default: 'true' }),
  LOG_LEVEL: str({ choices: LOG_LEVELS, default: 'info' }),
  METRICS_PORT: optionalPort({ default: 0 }),
  METRICS_HOST: host({ default: '127.0.0.1' }),
  // How long a client may take to send a request, so a request sent a byte at a time can't hold
  // a connection for long. Headers are a few KiB, which even a poor mobile link sends in a second
  // or two: 10 s is ample. The whole request includes the largest body, a 5 MiB picture, which
  // 120 s carries at 350 kbit/s (slower than a weak 3G uplink); Node's default is 300 s.
  HEADERS_TIMEOUT_SECONDS: positiveInt({ default: 10 }),
  REQUEST_TIMEOUT_SECONDS: positiveInt({ default: 120 }),
  PICTURE_MAX_BYTES: positiveInt({ default: DEFAULT_PICTURE_MAX_BYTES }),
  // The mail outbox (src/mail/outbox.ts). Retries wait OUTBOX_RETRY_SECONDS, then twice as long
  // each time: by default 15 s, 30 s, ... 16 min, which spreads 8 attempts over about half an
  // hour, the life of a reset link.
  OUTBOX_MAX_ATTEMPTS: positiveInt({ default: 8 }),
  OUTBOX_RETRY_SECONDS: positiveInt({ default: 15 }),
  OUTBOX_SEND_TIMEOUT_SECONDS: positiveInt({ default: 30 }),
  OUTBOX_POLL_SECONDS: positiveInt({ default: 2 }),
  OUTBOX_RETENTION_DAYS: positiveInt({ default: 7 }),
  // Uploads a process holds at once (each up to PICTURE_MAX_BYTES, in memory) beyond the one
  // being made into a picture, and those one user may hold; past either, 503 before the body is
  // read. Eight waiting wait a few seconds at most behind pictures of a few hundred ms each.
  PICTURE_QUEUE_MAX: positiveInt({ default: 8 }),
  PICTURE_QUEUE_MAX_PER_USER: positiveInt({ default: 2 }),
}

/** The name of every setting the service reads. */
export const SETTING_NAMES = Object.keys(specs)

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
  if (clean.HEADERS_TIMEOUT_SECONDS > clean.REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError('Invalid configuration: HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS')
  }
  if (clean.WEB_CONCURRENCY > 1 && clean.DATABASE_URL === 'sqlite::memory:') {
    throw new ConfigError('Invalid configuration: WEB_CONCURRENCY must be 1 with sqlite::memory: (each process would have a database of its own)')
  }
  if (clean.METRICS_PORT === clean.PORT) {
    throw new ConfigError('Invalid configuration: METRICS_PORT must not be PORT (the metrics are never served on the API port)')
  }
  return Object.freeze(settingsFrom(clean))
}

const DAY_MS = 24 * 60 * 60_000

// localhost, not HOST: browsers refuse an IP address as a passkey's relying party (WebAuthn).
function publicUrlOf(clean: CleanedEnv<typeof specs>): string {
  return clean.PUBLIC_URL || `http://localhost:${clean.PORT}`
}

/** Passkeys belong to PUBLIC_URL's host name (the relying party) and are used from its origin only. */
function relyingPartyOf(clean: CleanedEnv<typeof specs>) {
  const url = new URL(publicUrlOf(clean))
  return { rpId: url.hostname, origin: url.origin, rpName: 'Blog' }
}

/** The settings the service reads, grouped as the parts of it that use them read them. */
function settingsFrom(clean: CleanedEnv<typeof specs>) {
  return {
    secretKey: clean.SECRET_KEY,
    algorithm: clean.ALGORITHM,
    accessTokenExpireMinutes: clean.ACCESS_TOKEN_EXPIRE_MINUTES,
    sessions: {
      idleMs: clean.REFRESH_TOKEN_EXPIRE_DAYS * DAY_MS,
      maxMs: clean.SESSION_MAX_DAYS * DAY_MS,
      // The refresh-token cookie is Secure where the site is served over https.
      secureCookie: publicUrlOf(clean).startsWith('https:'),
    },
    databaseUrl: clean.DATABASE_URL,
    dbPoolMax: clean.DB_POOL_MAX,
    host: clean.HOST,
    port: clean.PORT,
    webConcurrency: clean.WEB_CONCURRENCY,
    jwtIssuer: clean.JWT_ISSUER,
    jwtAudience: clean.JWT_AUDIENCE,
    trustedProxies: clean.TRUSTED_PROXIES,
    limits: {
      loginFailuresPerEmailAndClient: clean.LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT,
      loginFailuresPerClient: clean.LOGIN_MAX_FAILURES_PER_CLIENT,
      loginFailuresPerEmail: clean.LOGIN_MAX_FAILURES_PER_EMAIL,
      guessWindowMinutes: clean.LOGIN_THROTTLE_WINDOW_MINUTES,
      passwordChangeFailuresPerUser: clean.PASSWORD_CHANGE_MAX_FAILURES_PER_USER,
      secondFactorFailuresPerUser: clean.TWO_FACTOR_MAX_FAILURES_PER_USER,
      passkeyOptionsPerClient: clean.PASSKEY_OPTIONS_MAX_PER_CLIENT,
      registrationsPerClient: clean.REGISTER_MAX_PER_CLIENT,
      registrationWindowMinutes: clean.REGISTER_WINDOW_MINUTES,
      resetRequestsPerEmailAndClient: clean.RESET_MAX_PER_EMAIL_AND_CLIENT,
      resetRequestsPerEmail: clean.RESET_MAX_PER_EMAIL,
      resetAttemptsPerClient: clean.RESET_MAX_PER_CLIENT,
      resetWindowMinutes: clean.RESET_WINDOW_MINUTES,
      emailChangesPerUser: clean.EMAIL_CHANGE_MAX_PER_USER,
      emailChangesPerClient: clean.EMAIL_CHANGE_MAX_PER_CLIENT,
      emailChangeWindowMinutes: clean.EMAIL_CHANGE_WINDOW_MINUTES,
      verificationMailsPerUser: clean.VERIFY_EMAIL_MAX_PER_USER,
      verificationAttemptsPerClient: clean.VERIFY_MAX_PER_CLIENT,
      verificationWindowMinutes: clean.VERIFY_WINDOW_MINUTES,
    },
    hashingQueue: { maxWaiting: clean.HASHING_QUEUE_MAX, maxPerClient: clean.HASHING_QUEUE_MAX_PER_CLIENT },
    mail: {
      // envalid types a setting whose default is undefined as never.
      smtpUrl: clean.SMTP_URL as Secret | undefined,
      from: clean.MAIL_FROM,
      publicUrl: publicUrlOf(clean),
      resetTokenExpireMinutes: clean.RESET_TOKEN_EXPIRE_MINUTES,
      verifyTokenExpireHours: clean.VERIFY_TOKEN_EXPIRE_HOURS,
    },
    requireVerifiedEmail: clean.REQUIRE_VERIFIED_EMAIL === 'true',
    passkeys: relyingPartyOf(clean),
    outbox: {
      maxAttempts: clean.OUTBOX_MAX_ATTEMPTS,
      retryMs: clean.OUTBOX_RETRY_SECONDS * 1000,
      sendTimeoutMs: clean.OUTBOX_SEND_TIMEOUT_SECONDS * 1000,
      pollMs: clean.OUTBOX_POLL_SECONDS * 1000,
      retentionMs: clean.OUTBOX_RETENTION_DAYS * DAY_MS,
    },
    logRequests: clean.LOG_REQUESTS === 'true',
    logLevel: clean.LOG_LEVEL,
    metrics: { port: clean.METRICS_PORT || undefined, host: clean.METRICS_HOST },
    headersTimeoutSeconds: clean.HEADERS_TIMEOUT_SECONDS,
    requestTimeoutSeconds: clean.REQUEST_TIMEOUT_SECONDS,
    pictureMaxBytes: clean.PICTURE_MAX_BYTES,
    pictureQueue: { maxWaiting: clean.PICTURE_QUEUE_MAX, maxPerUser: clean.PICTURE_QUEUE_MAX_PER_USER },
  }
}

export type Config = Readonly<ReturnType<typeof settingsFrom>>
/** How many password guesses, registrations and resets are allowed; see src/auth/attempt-limits.ts. */
export type AttemptLimitSettings = Config['limits']
export type MailSettings = Config['mail']
export type SessionSettings = Config['sessions']
export type RelyingParty = Config['passkeys']
export type OutboxSettings = Config['outbox']

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
