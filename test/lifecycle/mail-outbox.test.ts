import { afterEach, describe, expect, it } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { initORM } from '../../src/db/orm.js'
import { silentLog } from '../../src/http/logger.js'
import { waitUntilRefused } from '../support/in-flight.js'
import { messageIdOf, resetLink, startMailServer, type MailServer } from '../support/mail.js'
import { freePort, logEntries, useServerProcesses, waitForLogEntry, type ServerProcess } from '../support/server-process.js'
import { newUser, userRow, type NewUser } from '../support/users.js'

// Real server processes on a database of this pass, mailing the SMTP server of this test.

interface OutboxRow {
  message_id: string
  status: string
  attempts: number
  body: unknown
}

let mail: MailServer | undefined
afterEach(async () => {
  await mail?.stop()
  mail = undefined
})

async function forgot(server: ServerProcess, email: string): Promise<void> {
  const response = await fetch(`${server.origin}/api/users/forgot-password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email }),
  })
  expect(response.status).toBe(202)
}

async function resetWith(server: ServerProcess, token: string): Promise<number> {
  const response = await fetch(`${server.origin}/api/users/reset-password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, new_password: 'a brand new password' }),
  })
  return response.status
}

async function stopGracefully(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM')
  expect(await server.exited).toEqual({ code: 0, signal: null })
}

describe('the mail outbox across process deaths', () => {
  const servers = useServerProcesses('blog-outbox-')

  async function outboxRows(): Promise<OutboxRow[]> {
    const orm = await initORM(servers.databaseUrl, { log: silentLog })
    try {
      return await orm.em.getConnection().execute<OutboxRow[]>('select message_id, status, attempts, body from outbox order by id')
    } finally {
      await orm.close()
    }
  }

  /** An account written straight to the database, so that no sign-up mail joins the outbox. */
  async function seedUser(user: NewUser): Promise<void> {
    const orm = await initORM(servers.databaseUrl, { log: silentLog })
    try {
      const em = orm.em.fork()
      em.create(User, userRow(user.username, user.email))
      await em.flush()
    } finally {
      await orm.close()
    }
  }

  it('sends a mail committed before a SIGKILL, while the SMTP server refused connections, after the restart', async () => {
    mail = await startMailServer()
    const settings = { OUTBOX_RETRY_SECONDS: '1', OUTBOX_MAX_ATTEMPTS: '20' }
    // Nothing listens there: no attempt of the first process can send the mail.
    const first = await servers.start({ ...settings, SMTP_URL: `smtp://127.0.0.1:${await freePort()}` })
    const user = newUser()
    await seedUser(user)
    await forgot(first, user.email)
    // The failed attempt comes after the commit of the token and its mail.
    await waitForLogEntry(first, (entry) => String(entry.msg).startsWith('Could not send a mail; retrying'))
    first.child.kill('SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(mail.received).toEqual([])

    const second = await servers.start({ ...settings, SMTP_URL: mail.url })
    const received = await mail.next(20_000)
    expect(received.to).toEqual([user.email])
    expect(await resetWith(second, resetLink(received).token)).toBe(204)
    await waitForLogEntry(second, (entry) => entry.msg === 'Mail sent')
    await stopGracefully(second)

    // The reset mail, and the notice that the password was reset.
    const rows = await outboxRows()
    expect(rows).toHaveLength(2)
    const row = rows.find((candidate) => candidate.message_id === messageIdOf(received))
    expect(row).toMatchObject({ status: 'sent', body: null })
    // The first process's failed attempts and the second's one that succeeded.
    expect(row!.attempts).toBeGreaterThanOrEqual(2)
    expect(mail.received.filter((copy) => messageIdOf(copy) === messageIdOf(received))).toHaveLength(1)
  })

  it('sends again, with the same Message-ID, a mail whose send a SIGKILL cut short, once its claim runs out', async () => {
    mail = await startMailServer()
    // A claim lasts twice the send timeout: 4 s.
    const settings = { SMTP_URL: mail.url, OUTBOX_SEND_TIMEOUT_SECONDS: '2', OUTBOX_RETRY_SECONDS: '1' }
    const first = await servers.start(settings)
    const user = newUser()
    await seedUser(user)
    // The SMTP server takes the mail and keeps its sender waiting for the answer: mid-send.
    mail.hold()
    await forgot(first, user.email)
    await expect.poll(() => mail!.held.length, { timeout: 15_000 }).toBe(1)
    first.child.kill('SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    // The receiver keeps the copy whose acknowledgement never reached the sender.
    mail.release()
    const [cutShort] = mail.received
    const { token } = resetLink(cutShort!)

    const second = await servers.start(settings)
    await waitForLogEntry(second, (entry) => entry.msg === 'Mail sent', 20_000)
    const again = mail.received[1]!
    expect(again.to).toEqual([user.email])
    expect(messageIdOf(again)).toBe(messageIdOf(cutShort!))
    expect(resetLink(again).token).toBe(token)
    expect(await resetWith(second, token)).toBe(204)
    await stopGracefully(second)

    // The reset mail, and the notice that the password was reset.
    const rows = await outboxRows()
    expect(rows).toHaveLength(2)
    const row = rows.find((candidate) => candidate.message_id === messageIdOf(cutShort!))
    expect(row).toMatchObject({ status: 'sent', body: null })
    expect(row!.attempts).toBeGreaterThanOrEqual(2)
  })

  it('on SIGTERM finishes the send in flight, claims nothing more, and leaves the rest to the next start', async () => {
    mail = await startMailServer()
    const settings = { SMTP_URL: mail.url }
    const server = await servers.start(settings)
    const [alice, bob] = [newUser(), newUser()]
    await seedUser(alice)
    await seedUser(bob)
    mail.hold()
    await forgot(server, alice.email)
    await expect.poll(() => mail!.held.length, { timeout: 15_000 }).toBe(1)
    await forgot(server, bob.email)
    // Bob's mail is written (the sender, busy with Alice's, has not claimed it).
    await expect.poll(async () => (await outboxRows()).length, { timeout: 15_000 }).toBe(2)

    server.child.kill('SIGTERM')
    await waitUntilRefused(server.port)
    expect(server.child.exitCode, 'the server must wait for the send in flight').toBeNull()
    // The held mail is answered; with no more holding, a further claim would be sent at once.
    mail.release()
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(mail.received.map((received) => received.to)).toEqual([[alice.email]])
    expect(logEntries(server)).toContainEqual(
      expect.objectContaining({ msg: 'Mail outbox: 1 mails left for the next start or another instance', pending: 1 }),
    )
    const rows = await outboxRows()
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([['sent', 1], ['pending', 0]])

    const restarted = await servers.start(settings)
    await waitForLogEntry(restarted, (entry) => entry.msg === 'Mail sent', 20_000)
    expect(mail.received.map((received) => received.to)).toEqual([[alice.email], [bob.email]])
    await stopGracefully(restarted)
    expect((await outboxRows()).map((row) => [row.status, row.attempts])).toEqual([['sent', 1], ['sent', 1]])
  })
})
