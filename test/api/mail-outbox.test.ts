import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { sealedBox } from '../../src/auth/sealed-box.js'
import { OutboxMail } from '../../src/db/entities/index.js'
import { initORM, type Orm } from '../../src/db/orm.js'
import { silentLog } from '../../src/http/logger.js'
import { createOutbox, OUTBOX_SEAL_PURPOSE, type Outbox } from '../../src/mail/outbox.js'
import type { Mail } from '../../src/mail/transport.js'
import { createTestContext, json, testConfig, type TestContext, type TestContextOptions } from '../support/context.js'
import { onPostgres } from '../support/database.js'
import { messageIdOf, resetLink, startMailServer, subjectOf, type MailServer } from '../support/mail.js'
import { signUpMailed } from '../support/users.js'
import { logTo } from '../support/log.js'

interface OutboxRow {
  id: number
  message_id: string
  status: string
  attempts: number
  body: Buffer | null
  finished_at: unknown
  last_error: string | null
}

type Entry = Record<string, unknown>

let ctx: TestContext | undefined
let mail: MailServer | undefined
let logged: Entry[] = []
const collect = logTo((entry) => logged.push(entry))
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  vi.restoreAllMocks()
  await ctx?.close()
  ctx = undefined
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await mail?.stop()
  mail = undefined
  logged = []
})

async function setUp(outbox: TestContextOptions['outbox'] = {}, mailOptions: Parameters<typeof startMailServer>[0] = {}) {
  mail = await startMailServer(mailOptions)
  ctx = await createTestContext({ env: { SMTP_URL: mail.url }, log: collect, outbox })
  return { ctx, mail }
}

const rowsOf = (orm: Orm) => orm.em.fork().getConnection().execute<OutboxRow[]>('select * from outbox order by id')
const aMail = (n: number): Mail => ({ to: `reader${n}@example.com`, subject: `Mail ${n}`, text: `text ${n}`, html: `<p>text ${n}</p>` })
const forgot = (context: TestContext, email: string) => context.fetch('/api/users/forgot-password', { method: 'POST', ...json({ email }) })
/**
 * A new account whose verification mail (registration's) has been sent, and its row deleted as
 * the retention purge would, so a test's rows and mails are its own.
 */
async function signUp(context: TestContext, server: MailServer) {
  const user = await signUpMailed(context, server)
  await context.outbox.idle()
  await context.orm.em.fork().getConnection().execute("delete from outbox where status = 'sent'")
  return user
}

const failures = () => logged.filter((entry) => /^Could not send a mail/.test(String(entry.msg)))

/** Two ORMs (two connection pools, as two processes have) on one database of this pass. */
async function twoOrmsOnOneDatabase(): Promise<[Orm, Orm]> {
  let url: string
  let schema: string | undefined
  if (onPostgres) {
    url = inject('postgresUrl')
    schema = `t_outbox_${process.pid}_${Date.now()}`
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'blog-outbox-'))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    url = `sqlite:${dir}/blog.db`
  }
  const first = await initORM(url, { schema, log: silentLog })
  cleanups.push(() => first.close())
  const second = await initORM(url, { schema, log: silentLog })
  cleanups.push(() => second.close())
  return [first, second]
}

describe('the mail outbox', () => {
  it('sends nothing for a transaction that rolls back; a commit wakes the sender at once (its poll is an hour away)', async () => {
    const { ctx, mail } = await setUp({ pollMs: 60 * 60_000 })
    const em = ctx.orm.em.fork()
    const rolledBack = await em
      .transactional(async (tx) => {
        await ctx.outbox.enqueue(tx, aMail(1))
        throw new Error('the change failed')
      })
      .catch((error: unknown) => error)
    expect(rolledBack).toMatchObject({ message: 'the change failed' })
    expect(await rowsOf(ctx.orm)).toEqual([])

    // Enqueued in a nested transaction: the outermost commit is the one that counts.
    await em.transactional(async (tx) => {
      await tx.transactional((inner) => ctx.outbox.enqueue(inner, aMail(2)))
    })
    const received = await mail.next()
    expect(received.to).toEqual(['reader2@example.com'])
    await ctx.outbox.idle()
    expect(mail.received).toHaveLength(1)
    expect((await rowsOf(ctx.orm)).map((row) => row.status)).toEqual(['sent'])
  })

  it('writes a reset token and its mail in one transaction: when the mail cannot be written, neither is the token', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUp(ctx, mail)
    const tokens = () => ctx.orm.em.fork().getConnection().execute('select id from password_reset_tokens')
    const enqueue = vi.spyOn(ctx.outbox, 'enqueue').mockImplementationOnce(async () => {
      throw new Error('the outbox cannot be written')
    })
    expect((await forgot(ctx, alice.email)).status).toBe(202)
    await ctx.outbox.idle()
    expect(enqueue).toHaveBeenCalledTimes(1)
    expect(await tokens()).toEqual([])
    expect(await rowsOf(ctx.orm)).toEqual([])
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'Could not prepare a mail', err: expect.objectContaining({ message: 'the outbox cannot be written' }) }))

    // The next request writes both, and its link works.
    expect((await forgot(ctx, alice.email)).status).toBe(202)
    const { token } = resetLink(await mail.next())
    expect(await tokens()).toHaveLength(1)
    const reset = await ctx.fetch('/api/users/reset-password', { method: 'POST', ...json({ token, new_password: 'a new password' }) })
    expect(reset.status).toBe(204)
  })

  it('keeps the mail sealed in its row, with nothing of it in clear, and deletes the body once it is sent', async () => {
    const { ctx, mail } = await setUp()
    const alice = await signUp(ctx, mail)
    mail.hold()
    expect((await forgot(ctx, alice.email)).status).toBe(202)
    await expect.poll(() => mail.held.length, { timeout: 10_000 }).toBe(1)
    const { token } = resetLink(mail.held[0]!)

    // Claimed and being sent: the row holds the sealed mail and nothing readable.
    const [pending] = await rowsOf(ctx.orm)
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, message_id: messageIdOf(mail.held[0]!) })
    const body = Buffer.from(pending!.body!)
    for (const clear of [token, alice.email, alice.username, 'reset-password', 'Reset your password']) {
      expect(body.includes(clear), clear).toBe(false)
      expect(body.toString('latin1')).not.toContain(clear)
    }
    // It is the mail, sealed with the key SECRET_KEY gives this purpose, bound to its Message-ID.
    const box = sealedBox(ctx.config.secretKey, OUTBOX_SEAL_PURPOSE)
    const opened = JSON.parse(box.open(body, pending!.message_id).toString('utf8')) as Mail
    expect(opened).toMatchObject({ to: alice.email, subject: 'Reset your password' })
    expect(opened.text).toContain(token)
    expect(() => box.open(body, '<another@localhost>')).toThrow('does not open')

    mail.release()
    await ctx.outbox.idle()
    const [sent] = await rowsOf(ctx.orm)
    expect(sent).toMatchObject({ id: pending!.id, status: 'sent', attempts: 1, body: null, last_error: null, message_id: pending!.message_id })
    expect(sent!.finished_at).not.toBeNull()
    expect(messageIdOf(mail.received[1]!)).toBe(pending!.message_id)
    expect(logged).toContainEqual(expect.objectContaining({ level: 'info', msg: 'Mail sent', outbox_id: sent!.id, message_id: sent!.message_id }))
  })

  it('delivers a mail once the SMTP server is back, by a retry, with its attempts counted', async () => {
    const { ctx, mail: first } = await setUp({ retryMs: 1000, maxAttempts: 10 })
    const { port } = first
    const alice = await signUp(ctx, first)
    await first.stop()
    expect((await forgot(ctx, alice.email)).status).toBe(202)
    await expect.poll(() => failures().length, { timeout: 10_000 }).toBeGreaterThan(0)
    // Only the registration's verification mail got through before the server stopped.
    expect(first.received.map(subjectOf)).toEqual(['Verify your email address'])

    mail = await startMailServer({ port })
    const received = await mail.next()
    expect(received.to).toEqual([alice.email])
    await ctx.outbox.idle()
    const [row] = await rowsOf(ctx.orm)
    const failed = failures()
    expect(row).toMatchObject({ status: 'sent', attempts: failed.length + 1, body: null, message_id: messageIdOf(received) })
    // Each failure logged as a warning with its attempt and the error, the mail's text left out.
    expect(failed.map((entry) => [entry.level, entry.attempt])).toEqual(failed.map((_, i) => ['warn', i + 1]))
    expect(failed[0]).toMatchObject({ msg: 'Could not send a mail; retrying in 1 s', outbox_id: row!.id, message_id: row!.message_id })
    expect(String((failed[0]!.err as { message: string }).message)).toContain('ECONNREFUSED')
  })

  it('gives a mail up after its attempts, keeping its last error and deleting its body, and logs it without its text', async () => {
    const { ctx, mail } = await setUp({ maxAttempts: 3, retryMs: 20 })
    const alice = await signUp(ctx, mail)
    mail.refuseNext(3)
    expect((await forgot(ctx, alice.email)).status).toBe(202)
    await ctx.outbox.idle()

    expect(mail.received.map(subjectOf)).toEqual(['Verify your email address'])
    expect(mail.refused).toHaveLength(3)
    // Every attempt carried the same Message-ID, so a receiver could drop a duplicate.
    const messageId = messageIdOf(mail.refused[0]!)
    expect(mail.refused.map(messageIdOf)).toEqual([messageId, messageId, messageId])
    const [row] = await rowsOf(ctx.orm)
    expect(row).toMatchObject({ status: 'failed', attempts: 3, body: null, message_id: messageId })
    expect(row!.last_error).toMatch(/451 Try again later/)
    expect(row!.finished_at).not.toBeNull()

    expect(failures().map((entry) => [entry.level, entry.attempt])).toEqual([['warn', 1], ['warn', 2], ['error', 3]])
    expect(failures()[2]).toMatchObject({ msg: 'Could not send a mail; gave up after 3 attempts', message_id: messageId, subject: 'Reset your password' })
    const { token } = resetLink(mail.refused[0]!)
    for (const entry of logged) {
      const line = JSON.stringify(entry)
      expect(line).not.toContain(token)
      expect(line).not.toContain('reset-password#token')
      expect(line).not.toContain(`Hello ${alice.username}`)
    }
  })

  it('gives up at once on a mail that another SECRET_KEY sealed, and sends nothing', async () => {
    const { ctx, mail } = await setUp({ start: false })
    const otherKey = testConfig({ SECRET_KEY: 'another-secret-key-0123456789abcdef0123456789' })
    const stranger = createOutbox(ctx.orm, otherKey, silentLog)
    await stranger.enqueue(ctx.orm.em.fork(), aMail(1))
    await ctx.outbox.start()
    await ctx.outbox.idle()
    expect(mail.received).toEqual([])
    const [row] = await rowsOf(ctx.orm)
    expect(row).toMatchObject({ status: 'failed', attempts: 1, body: null })
    expect(row!.last_error).toMatch(/^SealedBoxError: /)
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'Could not open a mail of the outbox (was SECRET_KEY changed?); given up' }))
  })

  it('deletes sent and failed mails past OUTBOX_RETENTION_DAYS, and keeps newer and pending ones', async () => {
    const { ctx } = await setUp({ start: false, retentionMs: 24 * 60 * 60_000 })
    const day = 24 * 60 * 60_000
    const ago = (ms: number) => new Date(Date.now() - ms)
    const rows = [
      { messageId: '<old-sent@test>', status: 'sent', finishedAt: ago(2 * day) },
      { messageId: '<old-failed@test>', status: 'failed', finishedAt: ago(2 * day) },
      { messageId: '<new-sent@test>', status: 'sent', finishedAt: ago(day - 60_000) },
      { messageId: '<new-failed@test>', status: 'failed', finishedAt: ago(60_000) },
      // Pending for a month (waiting for a retry an hour from now): not finished, so kept.
      { messageId: '<old-pending@test>', status: 'pending', finishedAt: null, dueAt: new Date(Date.now() + 60 * 60_000) },
    ] as const
    const em = ctx.orm.em.fork()
    for (const row of rows) {
      await em.insert(OutboxMail, { attempts: 1, body: null, createdAt: ago(30 * day), dueAt: ago(30 * day), ...row })
    }
    // The first purge comes with the start.
    await ctx.outbox.start()
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'Mail outbox: deleted 2 sent or failed mails past their retention', purged: 2 }))
    expect((await rowsOf(ctx.orm)).map((row) => row.message_id)).toEqual(['<new-sent@test>', '<new-failed@test>', '<old-pending@test>'])
  })

  it('logs the backlog and the age of its oldest mail while it is large, then that it cleared', async () => {
    const { ctx, mail } = await setUp({ retryMs: 60 * 60_000, maxAttempts: 5, pollMs: 100, upkeep: { checkEveryMs: 50, backlogCount: 3 } })
    mail.refuseNext(3)
    await ctx.orm.em.fork().transactional(async (tx) => {
      for (const n of [1, 2, 3]) await ctx.outbox.enqueue(tx, aMail(n))
    })
    await expect.poll(() => mail.refused.length, { timeout: 10_000 }).toBe(3)
    const backlog = () => logged.filter((entry) => entry.msg === 'Mail outbox backlog')
    await expect.poll(() => backlog().length, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(backlog()[0]).toMatchObject({ level: 'warn', pending: 3 })
    expect(backlog()[0]!.oldest_pending_seconds).toEqual(expect.any(Number))
    expect(logged.find((entry) => entry.msg === 'Mail outbox backlog cleared')).toBeUndefined()

    // Their retries come due now, and they go: under the threshold again, the backlog is over.
    await ctx.orm.em.fork().nativeUpdate(OutboxMail, { status: 'pending' }, { dueAt: new Date() })
    await expect.poll(() => mail.received.length, { timeout: 10_000 }).toBe(3)
    const cleared = () => logged.find((entry) => entry.msg === 'Mail outbox backlog cleared')
    await expect.poll(cleared, { timeout: 10_000 }).toMatchObject({ level: 'info' })
    expect(cleared()!.pending).toBeLessThan(3)
  })

  it(`two senders on one ${onPostgres ? 'PostgreSQL' : 'SQLite'} database send each of 50 mails exactly once`, async () => {
    mail = await startMailServer({ answerAfterMs: 20 })
    const [ormA, ormB] = await twoOrmsOnOneDatabase()
    const config = testConfig({ SMTP_URL: mail.url })
    const logs: Entry[][] = [[], []]
    const senders: Outbox[] = [ormA, ormB].map((orm, i) => createOutbox(orm, config, logTo((entry) => logs[i]!.push(entry))))
    cleanups.push(async () => {
      await Promise.all(senders.map((sender) => sender.stop()))
    })
    const mails = Array.from({ length: 50 }, (_, n) => aMail(n))
    await ormA.em.fork().transactional(async (tx) => {
      for (const m of mails) await senders[0]!.enqueue(tx, m)
    })
    await Promise.all(senders.map((sender) => sender.start()))
    await expect.poll(() => mail!.received.length, { timeout: 30_000 }).toBe(50)
    await Promise.all(senders.map((sender) => sender.idle()))

    expect(mail.received.map((received) => received.to[0]).sort()).toEqual(mails.map((m) => m.to).sort())
    const rows = await rowsOf(ormB)
    expect(new Set(mail.received.map(messageIdOf))).toEqual(new Set(rows.map((row) => row.message_id)))
    expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 1]))
    const sentBy = logs.map((entries) => entries.filter((entry) => entry.msg === 'Mail sent').length)
    expect(sentBy[0]! + sentBy[1]!).toBe(50)
    // Both took part: the claims really competed.
    expect(sentBy[0]).toBeGreaterThan(0)
    expect(sentBy[1]).toBeGreaterThan(0)
  })
})
