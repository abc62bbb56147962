import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { subjectOf, verificationLink } from '../support/mail.js'
import { useMailedSite } from '../support/mailed-site.js'
import { newUser, signUpMailed } from '../support/users.js'

useCheapArgon2()
const site = useMailedSite()
const url = site.url

async function openPage(path: string): Promise<Page> {
  return (await site.openPage(path)).page
}

/** The path of the verification link in a mail, on this test server. */
function pathOf(link: string): string {
  const { pathname, hash } = new URL(link)
  return `${pathname}${hash}`
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(url('/login'))
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(url('/'))
}

const isVerified = async (email: string, password: string) => {
  const form = new URLSearchParams({ username: email, password })
  const { access_token } = (await (await fetch(url('/api/users/token'), { method: 'POST', body: form })).json()) as { access_token: string }
  const me = await fetch(url('/api/users/me'), { headers: { Authorization: `Bearer ${access_token}` } })
  return ((await me.json()) as { email_verified: boolean }).email_verified
}

describe('email verification pages', () => {
  it('sign up, read the mail, open the link: verified, and the token leaves the address bar', async () => {
    const input = newUser({ username: 'Verifying Vera' })
    const page = await openPage('/register')
    expect(await page.locator('#register-form').textContent()).toContain('open it to verify your email')
    await page.getByLabel('Username').fill(input.username)
    await page.getByLabel('Email').fill(input.email)
    await page.getByLabel('Password', { exact: true }).fill(input.password)
    await page.getByLabel('Confirm Password').fill(input.password)
    await page.getByRole('button', { name: 'Register' }).click()
    await page.waitForURL(url('/login?registered=1'))
    await expect.poll(() => page.locator('#login-notice').textContent()).toContain('Check your inbox')

    const received = await site.mail.next()
    expect(received.to).toEqual([input.email])
    expect(subjectOf(received)).toBe('Verify your email address')
    const path = pathOf(verificationLink(received).link)
    const response = await page.goto(url(path))
    expect(response?.headers()['referrer-policy']).toBe('no-referrer')
    await expect.poll(() => page.url()).toBe(url('/verify-email'))
    await expect.poll(() => page.locator('#verify-done').textContent()).toBe('Your email address is verified. Thank you!')
    await screenshot(page, 'verify-email-done')
    expect(await isVerified(input.email, input.password)).toBe(true)

    // The same link again, signed out: why not, and how to get a new one.
    await page.goto(url(path))
    await expect.poll(() => page.locator('#verify-error').textContent()).toContain('This link is invalid')
    expect(await page.locator('#verify-login-hint').isVisible()).toBe(true)
    expect(await page.locator('#verify-resend').isVisible()).toBe(false)
  })

  it('the account page shows a banner while unverified; its button mails a new link that replaces the old one', async () => {
    const alice = await signUpMailed(site.server, site.mail)
    const page = await openPage('/login')
    await logIn(page, alice.email, alice.password)
    await page.goto(url('/account'))
    const banner = page.locator('#verify-banner')
    await banner.waitFor({ state: 'visible' })
    expect(await page.locator('#verify-banner-email').textContent()).toBe(alice.email)
    await page.getByRole('button', { name: 'Send the link again' }).click()
    await expect.poll(() => page.locator('#verify-banner-sent').textContent()).toContain('A new link is on its way')
    await screenshot(page, 'account-verify-banner')

    const received = await site.mail.next()
    expect(received.to).toEqual([alice.email])
    const newer = pathOf(verificationLink(received).link)

    // The link from sign-up no longer works; signed in, the page offers to send another.
    await page.goto(url(`/verify-email#token=${alice.verificationToken}`))
    await expect.poll(() => page.locator('#verify-error').textContent()).toContain('replaced by a newer one')
    await page.locator('#verify-resend').waitFor({ state: 'visible' })
    await screenshot(page, 'verify-email-invalid')

    await page.goto(url(newer))
    await expect.poll(() => page.locator('#verify-done').textContent()).toBe('Your email address is verified. Thank you!')
    await page.goto(url('/account'))
    await page.locator('#account').waitFor({ state: 'visible' })
    expect(await banner.isVisible()).toBe(false)
  })
})
