import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { collectPolicyViolations, launchBrowser, screenshot, signOutFromNavbar } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { freePort } from '../support/server-process.js'
import { startTestServer, type TestServer } from '../support/server.js'
import { signUp } from '../support/users.js'

// Passkeys in Chromium with its virtual authenticator (DevTools protocol): a platform
// authenticator with resident keys and user verification, as a laptop's fingerprint reader is.
// The site runs with the default PUBLIC_URL, http://localhost:PORT, and the browser opens exactly
// that: browsers refuse an IP address as a passkey's relying party.

useCheapArgon2()

let server: TestServer
let browser: Browser
let origin = ''
beforeAll(async () => {
  const port = await freePort()
  server = await startTestServer({ env: { PORT: String(port) } })
  origin = `http://localhost:${port}`
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const url = (path: string) => `${origin}${path}`

async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' })
  return (await locator.textContent())?.trim() ?? ''
}

/** A browser context whose pages have a platform authenticator; answers the page and the DevTools session that holds it. */
async function withAuthenticator(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  })
  return { page, cdp, authenticatorId }
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ reducedMotion: 'reduce' })
  context.setDefaultTimeout(10_000)
  return context
}

/** A browser that cannot offer passkeys in a field's autofill (no conditional mediation): only the button signs in. */
function withoutPasskeyAutofill() {
  Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: () => Promise.resolve(false) })
}

const signOut = (page: Page) => signOutFromNavbar(page, url('/'))

it('serves the default public address, localhost, which passkeys accept', () => {
  expect(server.config.mail.publicUrl).toBe(origin)
  expect(server.config.passkeys).toMatchObject({ rpId: 'localhost', origin })
})

it('adds a passkey on the account page, signs in with it from /login, renames and removes it, then refuses it', async () => {
  const user = await signUp(server)
  const context = await newContext()
  const { page, cdp, authenticatorId } = await withAuthenticator(context)
  const problems = collectPolicyViolations(page)
  try {
    await page.goto(url('/login'))
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    await page.waitForURL(url('/'))

    await page.goto(url('/account'))
    const card = page.locator('#passkeys')
    expect(await textOf(card.locator('#passkeys-none'))).toBe('You have no passkeys yet.')
    await card.getByLabel('Name of the new passkey').fill('Test laptop')
    await card.getByRole('button', { name: 'Add a passkey' }).click()
    expect(await textOf(card.locator('#passkeys-saved'))).toBe('The passkey "Test laptop" was added: you can now sign in with it.')
    await expect.poll(() => card.locator('.passkey-name').allTextContents()).toEqual(['Test laptop'])
    expect(await card.locator('#passkeys-none').isVisible()).toBe(false)
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect(credentials[0]!.isResidentCredential).toBe(true)
    expect(credentials[0]!.rpId).toBe('localhost')
    await screenshot(page, 'passkeys-card')

    // Cancel puts the passkey back as it was, one item in the list.
    await card.getByRole('button', { name: 'Rename Test laptop' }).click()
    await card.getByRole('button', { name: 'Cancel renaming' }).click()
    expect(await card.locator('.passkey-name').allTextContents()).toEqual(['Test laptop'])
    expect(await card.locator('li li').count()).toBe(0)

    await card.getByRole('button', { name: 'Rename Test laptop' }).click()
    await card.getByLabel('New name').fill('Chromium')
    await card.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => card.locator('.passkey-name').allTextContents()).toEqual(['Chromium'])

    // Signed out, the passkey alone signs in, no email or password typed: offered in the email
    // field's autofill, picked at once by the virtual authenticator (conditional mediation)...
    await signOut(page)
    // The sign-in may well be done before the page has loaded.
    await page.goto(url('/login'), { waitUntil: 'commit' })
    await page.waitForURL(url('/'))
    await expect.poll(() => page.evaluate(() => localStorage.getItem('access_token'))).not.toBeNull()

    // ...or, in a browser without that autofill, with the button.
    await signOut(page)
    await page.addInitScript(withoutPasskeyAutofill)
    await page.goto(url('/login'))
    expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username webauthn')
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.waitForURL(url('/'))
    await page.goto(url('/account'))
    expect(await textOf(page.locator('#account-email-text'))).toBe(user.email)
    expect(await textOf(card.locator('.list-group-item'))).toContain('Last used')

    await card.getByRole('button', { name: 'Remove Chromium' }).click()
    expect(await textOf(card.locator('#passkeys-saved'))).toBe('The passkey "Chromium" was removed.')
    expect(await textOf(card.locator('#passkeys-none'))).toBe('You have no passkeys yet.')

    // The authenticator still holds the credential, but the site no longer knows it.
    await signOut(page)
    await page.goto(url('/login'))
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    expect(await textOf(page.locator('#login-error'))).toBe('Passkey verification failed')
    expect(page.url()).toBe(url('/login'))
    expect(await page.evaluate(() => localStorage.getItem('access_token'))).toBeNull()
    expect(problems).toEqual([])
  } finally {
    await context.close()
  }
})

it('says in words when the browser has no passkey to offer', async () => {
  const context = await newContext()
  const { page } = await withAuthenticator(context)
  await page.addInitScript(withoutPasskeyAutofill)
  try {
    await page.goto(url('/login'))
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    expect(await textOf(page.locator('#login-error'))).toBe('The passkey request was cancelled or timed out, or the passkey is not allowed here.')
  } finally {
    await context.close()
  }
})
