import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { startTestServer, type TestServer, type TestServerOptions } from './server.js'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export const SCREENSHOTS = 'test-results/screenshots'

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Debian's Chromium, headless; nothing here downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS })
}

/**
 * Fails any request to a host other than the app's: the site and /docs must work offline.
 * Returns the list of blocked URLs so a test can assert it stayed empty.
 */
export async function allowOnlyOrigin(page: Page, origin: string): Promise<string[]> {
  const blocked: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
    blocked.push(url)
    return route.abort()
  })
  return blocked
}

/** Console reports of anything the Content-Security-Policy blocked, and uncaught page errors. */
export function collectPolicyViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text())
  })
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`))
  return violations
}

export interface BrowserSite {
  /** The app on a real port, over its own in-memory database. */
  readonly server: TestServer
  readonly browser: Browser
  /** The absolute URL of a path on the server. */
  url(path: string): string
}

/**
 * One test server and one headless Chromium for the calling file, started before its first test
 * and stopped after its last, with `options` (its settings, say). Each test still brings its own
 * users, posts and browser context.
 */
export function useBrowserSite(options: TestServerOptions = {}): BrowserSite {
  let server: TestServer | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    server = await startTestServer(options)
    browser = await launchBrowser()
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
  return {
    get server() {
      return server!
    },
    get browser() {
      return browser!
    },
    url: (path) => `${server!.origin}${path}`,
  }
}

/** Saves a screenshot of the page to test-results/screenshots/<name>.png. */
export function screenshot(page: Page, name: string, options: { fullPage?: boolean } = { fullPage: true }) {
  return page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, ...options })
}

/**
 * Signs out with the navbar's button, which then opens the home page (`home`): waits until it
 * has, so the test's next navigation is not cut short by that one.
 */
export async function signOutFromNavbar(page: Page, home: string): Promise<void> {
  const opened = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame() && frame.url() === home)
  await page.getByRole('button', { name: 'Logout' }).click()
  await opened
  await page.waitForLoadState()
  expect(await page.evaluate(() => localStorage.getItem('access_token'))).toBeNull()
}
