import * as OTPAuth from 'otpauth'
import type { Locator, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { collectPolicyViolations, screenshot, signOutFromNavbar, useBrowserSite } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { signUp } from '../support/users.js'

const site = useBrowserSite()
// Two-factor sign-in is under test here, not password hashing.
useCheapArgon2()
const url = site.url

/** The authenticator app: the code of the time step `steps` from now. */
const appCode = (secret: string, steps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 })

async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' })
  return (await locator.textContent())?.trim() ?? ''
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto(url('/login'))
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
}

const signOut = (page: Page) => signOutFromNavbar(page, url('/'))

it('turns two factors on from the account page, then signs in with a code of the app and with a recovery code', async () => {
  const user = await signUp(site.server)
  const context = await site.browser.newContext({ reducedMotion: 'reduce' })
  context.setDefaultTimeout(10_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.server.origin })
  const page = await context.newPage()
  const problems = collectPolicyViolations(page)
  try {
    await passwordStep(page, user.email, user.password)
    await page.waitForURL(url('/'))
    await page.goto(url('/account'))
    expect(await textOf(page.locator('#two-factor-status'))).toBe('Off: signing in asks for your password only.')

    await page.locator('#two-factor-password').fill('not my password')
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await expect.poll(() => textOf(page.locator('#two-factor-error'))).toBe('Incorrect password')
    await page.locator('#two-factor-password').fill(user.password)
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    const secret = await textOf(page.locator('#two-factor-secret'))
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const qr = page.locator('#two-factor-qr')
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0)
    await screenshot(page, 'two-factor-scan')

    await page.getByLabel('Code from the app', { exact: true }).fill(appCode(secret, 3))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await expect.poll(() => textOf(page.locator('#two-factor-error'))).toBe('Invalid code')
    await page.getByLabel('Code from the app', { exact: true }).fill(appCode(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await expect.poll(() => textOf(page.locator('#two-factor-saved'))).toBe('Two-factor authentication is on.')
    const codes = await page.locator('#two-factor-code-list li').allTextContents()
    expect(codes).toHaveLength(10)
    expect(await textOf(page.locator('#two-factor-codes .alert-warning'))).toContain('they are shown only once')
    await page.getByRole('button', { name: 'Copy the codes' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'))
    expect(await textOf(page.locator('#two-factor-status'))).toBe('On: signing in asks for a code from your authenticator app after your password.')
    await screenshot(page, 'two-factor-recovery-codes')

    // Signed out, the password is no longer enough: the page asks for the app's code.
    await signOut(page)
    await passwordStep(page, user.email, user.password)
    const code = page.locator('#mfa-code')
    await code.waitFor({ state: 'visible' })
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code')
    expect(await code.getAttribute('inputmode')).toBe('numeric')
    expect(await page.locator('#login-form').isVisible()).toBe(false)
    await code.fill('000000')
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => textOf(page.locator('#mfa-error'))).toBe('Invalid code')
    await screenshot(page, 'two-factor-login-code')
    // The next step's code: the one that confirmed is used up.
    await code.fill(appCode(secret, 1))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL(url('/'))
    await expect.poll(() => textOf(page.locator('#nav-username'))).toBe(user.username)

    // And with a recovery code instead.
    await signOut(page)
    await passwordStep(page, user.email, user.password)
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await expect.poll(() => textOf(page.locator('label[for="mfa-code"]'))).toBe('Recovery code')
    await code.fill(codes[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL(url('/'))
    await expect.poll(() => textOf(page.locator('#nav-username'))).toBe(user.username)

    // Turned off again with a second recovery code: the password alone signs in.
    await page.goto(url('/account'))
    await page.locator('#two-factor-manage-password').fill(user.password)
    await page.locator('#two-factor-manage-code').fill(codes[1]!)
    await page.getByRole('button', { name: 'Turn off two-factor authentication' }).click()
    await expect.poll(() => textOf(page.locator('#two-factor-saved'))).toBe('Two-factor authentication is off.')
    expect((await user.client.GET('/api/users/me')).data?.two_factor_enabled).toBe(false)
    expect(problems).toEqual([])
  } finally {
    await context.close()
  }
})
