import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { allowOnlyOrigin, collectPolicyViolations, launchBrowser } from '../support/browser.js'
import { startTestServer } from '../support/server.js'
import { newUser, register } from '../support/users.js'

const SCREENSHOTS = 'test-results/screenshots'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
beforeAll(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
  mkdirSync(SCREENSHOTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

it('Swagger UI at /docs logs in through Authorize and calls /api/users/me, offline and under its CSP', async () => {
  const input = newUser({ username: 'swagger_user', email: 'swagger@example.com' })
  await register(server, input)

  const page = await browser.newPage()
  const blocked = await allowOnlyOrigin(page, server.origin)
  const violations = collectPolicyViolations(page)
  await page.goto(`${server.origin}/docs`)

  await page.locator('button.authorize').first().click()
  await page.locator('#oauth_username').fill(input.email)
  await page.locator('#oauth_password').fill(input.password)
  await page.locator('.auth-btn-wrapper button.authorize').click()
  // Once the token request succeeds, the dialog offers Logout in place of Authorize.
  await page.locator('.auth-btn-wrapper button.authorize', { hasText: 'Logout' }).waitFor({ timeout: 10_000 })
  await page.screenshot({ path: `${SCREENSHOTS}/docs-authorized.png` })
  await page.locator('button.btn-done').click()

  const operation = page.locator('#operations-users-getCurrentUser')
  await operation.locator('.opblock-summary').click()
  await operation.locator('button.try-out__btn').click()
  await operation.locator('button.execute').click()

  const liveResponse = operation.locator('.live-responses-table .response')
  await expect.poll(() => liveResponse.locator('.response-col_status').first().textContent()).toContain('200')
  const body = JSON.parse((await liveResponse.locator('.microlight').first().textContent()) ?? '')
  expect(body).toMatchObject({ username: 'swagger_user', email: 'swagger@example.com' })
  await page.screenshot({ path: `${SCREENSHOTS}/docs-try-it-out.png`, fullPage: true })

  expect(blocked).toEqual([])
  expect(violations).toEqual([])
})
