import { afterEach, describe, expect, it } from 'vitest'
import { initORM } from '../../src/db/orm.js'
import { silentLog } from '../../src/http/logger.js'
import { createOutbox } from '../../src/mail/outbox.js'
import { testConfig } from '../support/context.js'
import { messageIdOf, startMailServer, type MailServer } from '../support/mail.js'
import { logEntries, useServerProcesses } from '../support/server-process.js'

// PostgreSQL only (see vitest.config.ts): two real server processes share one outbox.

const MAILS = 50

let mail: MailServer | undefined
afterEach(async () => {
  await mail?.stop()
  mail = undefined
})

describe('the mail outbox of two instances on one PostgreSQL database', () => {
  const servers = useServerProcesses('blog-outbox-instances-')

  it(`sends each of ${MAILS} queued mails exactly once, both instances taking part`, async () => {
    // Each mail takes 50 ms to be accepted, so the work lasts long enough for both to claim.
    mail = await startMailServer({ answerAfterMs: 50 })
    const settings = { SMTP_URL: mail.url, OUTBOX_POLL_SECONDS: '1' }
    const instances = await Promise.all([servers.start(settings), servers.start(settings)])

    // Written by a third party with the instances' key, as another instance's requests would be.
    const orm = await initORM(servers.databaseUrl, { log: silentLog })
    try {
      const writer = createOutbox(orm, testConfig({ SECRET_KEY: servers.secretKey, SMTP_URL: mail.url }), silentLog)
      const recipients = Array.from({ length: MAILS }, (_, n) => `reader${n}@example.com`)
      await orm.em.fork().transactional(async (tx) => {
        for (const to of recipients) await writer.enqueue(tx, { to, subject: 'Hello', text: `to ${to}`, html: `<p>to ${to}</p>` })
      })

      // Once every row is marked sent, every send there will be has happened.
      const statuses = () => orm.em.fork().getConnection().execute<{ status: string; attempts: number }[]>('select status, attempts from outbox')
      await expect.poll(async () => (await statuses()).filter((row) => row.status === 'sent').length, { timeout: 60_000 }).toBe(MAILS)
      expect((await statuses()).map((row) => row.attempts)).toEqual(recipients.map(() => 1))

      expect(mail.received.map((received) => received.to[0]).sort()).toEqual([...recipients].sort())
      const messageIds = await orm.em.fork().getConnection().execute<{ message_id: string }[]>('select message_id from outbox')
      expect(new Set(mail.received.map(messageIdOf))).toEqual(new Set(messageIds.map((row) => row.message_id)))

      // Each instance logs a line per mail it sent (once the row is marked, so the last may still be on its way).
      const sentBy = () => instances.map((instance) => logEntries(instance).filter((entry) => entry.msg === 'Mail sent').length)
      await expect.poll(() => sentBy()[0]! + sentBy()[1]!, { timeout: 10_000 }).toBe(MAILS)
      expect(sentBy()[0]).toBeGreaterThan(0)
      expect(sentBy()[1]).toBeGreaterThan(0)
    } finally {
      await orm.close()
    }
  })
})
