import type { BrowserContext, Page, Request } from 'playwright-core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { collectPolicyViolations, screenshot, useBrowserSite } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { signUp, type NewUser } from '../support/users.js'

// A minute's access tokens; the tests move the server's clock (it runs in this process) past one.
const site = useBrowserSite({ env: { ACCESS_TOKEN_EXPIRE_MINUTES: '1' } })
useCheapArgon2()
const url = site.url
let contexts: BrowserContext[] = []
let problems: string[] = []

afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(contexts.map((context) => context.close()))
  contexts = []
  expect(problems).toEqual([])
  problems = []
})

interface Browser {
  context: BrowserContext
  /** Every request of the context's pages to the token route. */
  tokenRequests: Request[]
  newTab(): Promise<Page>
}

/** A fresh browser context: its own localStorage and cookies, as another device. */
async function openBrowser(): Promise<Browser> {
  const context = await site.browser.newContext({ reducedMotion: 'reduce' })
  contexts.push(context)
  context.setDefaultTimeout(10_000)
  const tokenRequests: Request[] = []
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/users/token') tokenRequests.push(request)
  })
  const newTab = async () => {
    const page = await context.newPage()
    problems.push(...collectPolicyViolations(page))
    return page
  }
  return { context, tokenRequests, newTab }
}

const token = (page: Page) => page.evaluate(() => localStorage.getItem('access_token'))

/** Logs in on the login page; resolves to the JSON the page got from the token route. */
async function logIn(page: Page, user: NewUser): Promise<Record<string, unknown>> {
  await page.goto(url('/login'))
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  // The page moves on as soon as it has the answer: its body is read by a route meanwhile.
  let answer: Record<string, unknown> | undefined
  await page.route(url('/api/users/token'), async (route) => {
    const response = await route.fetch()
    answer = (await response.json()) as Record<string, unknown>
    await route.fulfill({ response })
  })
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await page.waitForURL(url('/'))
  await page.locator('#nav-signed-in').waitFor()
  await page.unroute(url('/api/users/token'))
  return answer!
}

const meStatus = async (accessToken: string) => (await site.server.clientAs(accessToken).GET('/api/users/me')).response.status

/** Moves the server's clock past the access tokens' minute and the 5 s it tolerates (src/auth/tokens.ts). */
function expireAccessTokens(): void {
  const now = Date.now()
  // Still running: Playwright, in this process too, waits by the clock.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
  vi.setSystemTime(now + 70_000)
}

const formOf = (request: Request) => Object.fromEntries(new URLSearchParams(request.postData() ?? ''))

async function openAccount(page: Page): Promise<void> {
  await page.goto(url('/account'))
  await page.locator('#account').waitFor()
}

describe('the refresh cookie', () => {
  it('is HttpOnly, SameSite=Strict, on the token route only, and never in the page or its JSON', async () => {
    const user = await signUp(site.server)
    const { context, tokenRequests, newTab } = await openBrowser()
    const page = await newTab()
    const answer = await logIn(page, user)

    expect(formOf(tokenRequests[0]!)).toEqual({ username: user.email, password: user.password, client_id: 'web' })
    expect(Object.keys(answer).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
    expect(await page.evaluate(() => document.cookie)).not.toContain('refresh_token')
    const cookies = await context.cookies()
    expect(cookies.map((cookie) => cookie.name)).toEqual(['refresh_token'])
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/users/token', secure: false })
    // Nothing a script of the page could read holds it either.
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
    expect(storage).not.toContain(cookies[0]!.value)
  })
})

describe("an access token's expiry", () => {
  it('is crossed by one refresh, shared by two tabs at once, and the pages stay signed in', async () => {
    const user = await signUp(site.server)
    const { context, tokenRequests, newTab } = await openBrowser()
    const [first, second] = [await newTab(), await newTab()]
    await logIn(first, user)
    const expired = (await token(first))!
    expireAccessTokens()
    expect(await meStatus(expired)).toBe(401)

    // The refresh is held until both tabs were refused, so both need a new token at once: the
    // second must wait for the first's refresh (the web lock) and take the token it stored.
    let refused = 0
    let bothRefused: () => void
    const held = new Promise<void>((resolve) => (bothRefused = resolve))
    context.on('response', (response) => {
      if (response.url() === url('/api/users/me') && response.status() === 401 && ++refused === 2) bothRefused()
    })
    await context.route(url('/api/users/token'), async (route) => {
      await held
      await route.continue()
    })
    const signedIn = tokenRequests.length
    await Promise.all([openAccount(first), openAccount(second)])

    for (const page of [first, second]) {
      expect(page.url()).toBe(url('/account'))
      expect(await page.getByLabel('Username').inputValue()).toBe(user.username)
    }
    expect(refused).toBe(2)
    const refreshes = tokenRequests.slice(signedIn)
    expect(refreshes).toHaveLength(1)
    expect(formOf(refreshes[0]!)).toEqual({ grant_type: 'refresh_token', client_id: 'web' })
    expect((await refreshes[0]!.allHeaders()).cookie).toMatch(/^refresh_token=/)
    const renewed = (await token(first))!
    expect(renewed).not.toBe(expired)
    expect(await token(second)).toBe(renewed)
    expect(await meStatus(renewed)).toBe(200)
  })

  it('sends the visitor to /login when the session is over, from any page', async () => {
    const user = await signUp(site.server)
    const { tokenRequests, newTab } = await openBrowser()
    const page = await newTab()
    await logIn(page, user)
    const accessToken = (await token(page))!
    // Ended from elsewhere: the page still holds the access token and the refresh cookie.
    expect((await site.server.clientAs(accessToken).POST('/api/users/logout')).response.status).toBe(204)
    const signedIn = tokenRequests.length

    await page.goto(url('/'))
    await page.waitForURL(url('/login'))
    const refreshes = tokenRequests.slice(signedIn)
    expect(refreshes).toHaveLength(1)
    expect((await refreshes[0]!.response())?.status()).toBe(401)
    expect(await token(page)).toBeNull()
    await page.locator('#nav-signed-out').waitFor()
  })
})

describe("the account page's sessions", () => {
  it('lists them, ends one, then all others: the other browser is sent to /login', async () => {
    const user = await signUp(site.server)
    const laptop = await openBrowser()
    const phone = await openBrowser()
    const phonePage = await phone.newTab()
    await logIn(phonePage, user)
    await openAccount(phonePage)
    const page = await laptop.newTab()
    await logIn(page, user)
    await openAccount(page)

    // Newest first: this browser, the phone, then the API's sign-up (no User-Agent).
    const items = page.locator('#sessions-list > li')
    await expect.poll(() => items.count()).toBe(3)
    expect(await items.nth(0).locator('.badge').textContent()).toBe('This device')
    expect(await page.locator('#sessions-list .badge').count()).toBe(1)
    expect(await items.nth(0).getByRole('button').count()).toBe(0)
    expect(await items.nth(1).textContent()).toContain('127.0.0.1')
    expect(await items.nth(1).textContent()).toMatch(/Chrom/)
    expect(await items.nth(2).textContent()).toContain('Unknown device')
    await screenshot(page, 'account-sessions')

    await items.nth(2).getByRole('button', { name: /^Sign out Unknown device/ }).click()
    await expect.poll(() => items.count()).toBe(2)
    expect(await meStatus(user.token)).toBe(401)

    const othersEnded = page.waitForResponse((response) => response.request().method() === 'DELETE')
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click()
    expect((await othersEnded).status()).toBe(204)
    await expect.poll(() => items.count()).toBe(1)
    await page.getByRole('button', { name: 'Sign out everywhere else' }).waitFor({ state: 'hidden' })

    // The phone's next request is refused, its refresh too, and it is sent to sign in again.
    const phoneSignedIn = phone.tokenRequests.length
    await phonePage.getByLabel('Username').fill('Renamed on the phone')
    await phonePage.getByRole('button', { name: 'Save changes' }).click()
    await phonePage.waitForURL(url('/login'))
    expect(phone.tokenRequests.slice(phoneSignedIn)).toHaveLength(1)
    expect(await token(phonePage)).toBeNull()
    expect((await site.server.clientAs((await token(page))!).GET('/api/users/me')).data?.username).toBe(user.username)
  })

  it('a sign-out from the navbar ends the session on the server and clears the cookie', async () => {
    const user = await signUp(site.server)
    const { context, newTab } = await openBrowser()
    const page = await newTab()
    await logIn(page, user)
    const accessToken = (await token(page))!

    const loggedOut = page.waitForResponse(url('/api/users/logout'))
    await page.getByRole('button', { name: 'Logout' }).click()
    expect((await loggedOut).status()).toBe(204)
    await page.waitForURL(url('/'))
    await page.locator('#nav-signed-out').waitFor()
    expect(await token(page)).toBeNull()
    expect(await context.cookies()).toEqual([])
    expect(await meStatus(accessToken)).toBe(401)
  })
})
