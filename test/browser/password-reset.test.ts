import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { resetLink } from '../support/mail.js'
import { useMailedSite } from '../support/mailed-site.js'
import { login, signUpMailed } from '../support/users.js'

useCheapArgon2()
const site = useMailedSite()
const url = site.url

async function openPage(path: string): Promise<Page> {
  const { page, response } = await site.openPage(path)
  expect(response?.headers()['referrer-policy']).toBe('no-referrer')
  return page
}

/** The reset link of the next mail, on this test server. */
async function nextResetPath(): Promise<string> {
  const { link } = resetLink(await site.mail.next())
  const { pathname, hash } = new URL(link)
  return `${pathname}${hash}`
}

describe('the forgotten-password pages', () => {
  it('go from /login to a mailed link, a new password, and back to /login with it', async () => {
    const alice = await signUpMailed(site.server, site.mail)
    const page = await openPage('/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL(url('/forgot-password'))
    await page.getByLabel('Email').fill(alice.email)
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => page.locator('#forgot-sent').textContent()).toBe('If that email is registered, a reset link is on its way')
    await screenshot(page, 'forgot-password-sent')

    const resetPath = await nextResetPath()
    await page.goto(url(resetPath))
    // The token leaves the address bar (and history) at once.
    await expect.poll(() => page.url()).toBe(url('/reset-password'))
    await page.getByLabel('New Password').fill('a brand new password')
    await page.getByLabel('Confirm Password').fill('a different password')
    await page.getByRole('button', { name: 'Reset Password' }).click()
    expect(await page.locator('#confirm-password').evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false)
    expect(page.url()).toBe(url('/reset-password'))
    await screenshot(page, 'reset-password-mismatch')

    await page.getByLabel('Confirm Password').fill('a brand new password')
    await page.getByRole('button', { name: 'Reset Password' }).click()
    await page.waitForURL(url('/login?reset=done'))
    await expect.poll(() => page.locator('#login-notice').textContent()).toBe('Your password has been reset. Log in with the new one.')
    await screenshot(page, 'login-after-reset')
    await login(site.server, alice.email, 'a brand new password')

    // The same link again: the page says so and points to a new one.
    await page.goto(url(resetPath))
    await page.getByLabel('New Password').fill('yet another password')
    await page.getByLabel('Confirm Password').fill('yet another password')
    await page.getByRole('button', { name: 'Reset Password' }).click()
    const invalid = page.locator('#reset-invalid')
    await invalid.waitFor({ state: 'visible' })
    expect(await invalid.textContent()).toContain('This reset link is invalid or has expired.')
    expect(await page.locator('#reset-form').isVisible()).toBe(false)
    await screenshot(page, 'reset-password-invalid')
    await invalid.getByRole('link', { name: 'Ask for a new one' }).click()
    await page.waitForURL(url('/forgot-password'))
  })

  it('shows the invalid-link message at once for a link without a token', async () => {
    const page = await openPage('/reset-password')
    await page.locator('#reset-invalid').waitFor({ state: 'visible' })
    expect(await page.locator('#reset-form').isVisible()).toBe(false)
  })
})
