import { expect, it } from 'vitest'
import { allowOnlyOrigin, collectPolicyViolations, screenshot, useBrowserSite } from '../support/browser.js'
import { newUser, register } from '../support/users.js'

const site = useBrowserSite()

it('Swagger UI at /docs logs in through Authorize and calls /api/users/me, offline and under its CSP', async () => {
  const input = newUser({ username: 'swagger_user', email: 'swagger@example.com' })
  await register(site.server, input)

  const page = await site.browser.newPage()
  const blocked = await allowOnlyOrigin(page, site.server.origin)
  const violations = collectPolicyViolations(page)
  await page.goto(site.url('/docs'))

  await page.locator('button.authorize').first().click()
  await page.locator('#oauth_username').fill(input.email)
  await page.locator('#oauth_password').fill(input.password)
  await page.locator('.auth-btn-wrapper button.authorize').click()
  // Once the token request succeeds, the dialog offers Logout in place of Authorize.
  await page.locator('.auth-btn-wrapper button.authorize', { hasText: 'Logout' }).waitFor({ timeout: 10_000 })
  await screenshot(page, 'docs-authorized', { fullPage: false })
  await page.locator('button.btn-done').click()

  const operation = page.locator('#operations-users-getCurrentUser')
  await operation.locator('.opblock-summary').click()
  await operation.locator('button.try-out__btn').click()
  await operation.locator('button.execute').click()

  const liveResponse = operation.locator('.live-responses-table .response')
  await expect.poll(() => liveResponse.locator('.response-col_status').first().textContent()).toContain('200')
  const body = JSON.parse((await liveResponse.locator('.microlight').first().textContent()) ?? '')
  expect(body).toMatchObject({ username: 'swagger_user', email: 'swagger@example.com' })
  await screenshot(page, 'docs-try-it-out')

  expect(blocked).toEqual([])
  expect(violations).toEqual([])
})
