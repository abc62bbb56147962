import type { Options } from '@mikro-orm/core'
import { createApiClient, type ApiClient } from '../../client/index.js'
import { loadConfig, type Config, type EnvSource, type OutboxSettings } from '../../src/config/index.js'
import type { Orm } from '../../src/db/orm.js'
import { createApp, type App } from '../../src/app.js'
import { silentLog, type Log } from '../../src/http/logger.js'
import { createOutbox, type Outbox, type OutboxUpkeep } from '../../src/mail/outbox.js'
import type { MailTransport } from '../../src/mail/transport.js'
import type { FairQueue } from '../../src/lib/fair-queue.js'
import { contractFetch } from './contract.js'
import { openTestDatabase, type TestDatabaseOptions } from './database.js'

export const TEST_SECRET = 'test-only-secret-key-0123456789abcdef0123456789'

// In-process requests have no socket, so they all come from one client address: the limits per
// address would treat a whole suite as one client. The tests of those limits set their own.
const ONE_ADDRESS_FOR_EVERYONE = {
  REGISTER_MAX_PER_CLIENT: '100000',
  RESET_MAX_PER_CLIENT: '100000',
  EMAIL_CHANGE_MAX_PER_CLIENT: '100000',
  HASHING_QUEUE_MAX: '1000',
  HASHING_QUEUE_MAX_PER_CLIENT: '1000',
}

export function testConfig(env: EnvSource = {}): Config {
  return loadConfig({ env: { SECRET_KEY: TEST_SECRET, LOG_REQUESTS: 'false', ...ONE_ADDRESS_FOR_EVERYONE, ...env }, envFile: null })
}

export interface TestContext {
  app: App
  orm: Orm
  config: Config
  /** fetch against the in-process app; every response is checked against the spec. */
  fetch: (input: string | Request, init?: RequestInit) => Promise<Response>
  /** The generated client over the same checked fetch. */
  client: ApiClient
  /** A client that sends the given token. */
  clientAs: (token: string) => ApiClient
  /** The app's mail outbox, sending through SMTP_URL (or the log); `idle()` waits for it. */
  outbox: Outbox
  /** Stops the outbox's sender, then closes the database. */
  close: () => Promise<void>
}

const HOUR = 60 * 60_000

/**
 * The test contexts' outboxes: three attempts, 20 ms apart, so a failure settles at once. They
 * look for due mails when a commit of theirs wakes them (and when `idle()` asks), not by polling,
 * and look after the table at start only, so no statement of theirs lands amid a test's own.
 */
export const TEST_OUTBOX_SETTINGS: Partial<OutboxSettings> = { maxAttempts: 3, retryMs: 20, pollMs: HOUR }

export interface TestContextOptions {
  env?: EnvSource
  log?: Log
  orm?: Partial<Options>
  database?: TestDatabaseOptions
  /** The outbox's settings over the configuration's and TEST_OUTBOX_SETTINGS. */
  outbox?: Partial<OutboxSettings> & { transport?: MailTransport; upkeep?: Partial<OutboxUpkeep>; start?: boolean }
  /** The picture queue, in place of the one the configuration makes (a test's, to watch it). */
  pictureQueue?: FairQueue
}

/**
 * A real app on a fresh database of this pass (see database.ts), with real argon2 and real
 * tokens. `orm` overrides ORM options (a query logger, say); `database` how it is reached.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const config = testConfig(options.env)
  const log = options.log ?? silentLog
  const orm = await openTestDatabase({ orm: options.orm, ...options.database })
  const { transport, upkeep, start = true, ...settings } = options.outbox ?? {}
  const outboxConfig = { ...config, outbox: { ...config.outbox, ...TEST_OUTBOX_SETTINGS, ...settings } }
  const outbox = createOutbox(orm, outboxConfig, log, { transport, upkeep: { checkEveryMs: HOUR, ...upkeep } })
  if (start) await outbox.start()
  const app = createApp({ orm, config, log, outbox, pictureQueue: options.pictureQueue })
  const fetch = contractFetch(app)
  const clientAs = (token?: string) => createApiClient({ baseUrl: 'http://app', fetch, getToken: () => token })
  const close = async () => {
    await outbox.stop()
    await orm.close()
  }
  return { app, orm, config, fetch, client: clientAs(), clientAs, outbox, close }
}

export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
