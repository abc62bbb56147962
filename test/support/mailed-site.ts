import type { Browser, BrowserContext, Page, Response } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { collectPolicyViolations, launchBrowser } from './browser.js'
import { startMailServer, type MailServer } from './mail.js'
import { startTestServer, type TestServer } from './server.js'

export interface MailedSite {
  readonly server: TestServer
  /** The in-process SMTP server the site mails through. */
  readonly mail: MailServer
  url(path: string): string
  /** A page in a new browser context; its policy violations fail the test. */
  openPage(path: string): Promise<{ page: Page; response: Response | null }>
}

/** For one test file: the site on a real port, mailing to an in-process SMTP server, and Chromium. */
export function useMailedSite(): MailedSite {
  let server: TestServer
  let mail: MailServer
  let browser: Browser
  let contexts: BrowserContext[] = []
  const problems: string[] = []

  beforeAll(async () => {
    mail = await startMailServer()
    server = await startTestServer({ env: { SMTP_URL: mail.url } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.outbox.idle()
    await server?.stop()
    await mail?.stop()
  })
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()))
    contexts = []
    expect(problems.splice(0)).toEqual([])
  })

  const url = (path: string) => `${server.origin}${path}`
  return {
    get server() {
      return server
    },
    get mail() {
      return mail
    },
    url,
    async openPage(path) {
      const context = await browser.newContext({ reducedMotion: 'reduce' })
      contexts.push(context)
      context.setDefaultTimeout(10_000)
      const page = await context.newPage()
      problems.push(...collectPolicyViolations(page))
      const response = await page.goto(url(path))
      return { page, response }
    },
  }
}
