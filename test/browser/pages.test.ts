import type { BrowserContext, Locator, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '../../client/index.js'
import { allowOnlyOrigin, collectPolicyViolations, screenshot, useBrowserSite } from '../support/browser.js'
import { useCheapArgon2 } from '../support/cheap-argon2.js'
import { HTML_NAMED_JPG, phoneJpeg } from '../support/images.js'
import { login, newUser, register, signUp, type NewUser } from '../support/users.js'

// What the site must run under: no inline script, handler or style (Bootstrap's icons are data: images).
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"

const site = useBrowserSite()
// The pages are under test here, not password hashing; every test registers its own users.
useCheapArgon2()
let contexts: BrowserContext[] = []
let tabs: Tab[] = []

afterEach(async () => {
  const problems = tabs.flatMap((tab) => [...tab.problems, ...tab.blocked.map((url) => `request to another host: ${url}`)])
  await Promise.all(contexts.map((context) => context.close()))
  contexts = []
  tabs = []
  expect(problems).toEqual([])
})

interface Tab {
  page: Page
  /** `METHOD /api/path` of every API request the page made. */
  apiCalls: string[]
  dialogs: string[]
  /** Script errors and CSP violations; each fails the test, as does any request to another host. */
  problems: string[]
  blocked: string[]
}

/** A page in a fresh browser context (its own localStorage), watched for anything that should not happen. */
async function openTab(): Promise<Tab> {
  // Reduced motion turns off Bootstrap's fades, so a screenshot never catches a dialog half drawn.
  const context = await site.browser.newContext({ reducedMotion: 'reduce' })
  contexts.push(context)
  // Well inside vitest's 30 s, so a step that never happens fails with Playwright's own message.
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  const tab: Tab = {
    page,
    apiCalls: [],
    dialogs: [],
    problems: collectPolicyViolations(page),
    blocked: await allowOnlyOrigin(page, site.server.origin),
  }
  tabs.push(tab)

  await page.route('**/*', async (route) => {
    const request = route.request()
    if (request.resourceType() !== 'document' || !request.url().startsWith(site.server.origin)) return route.fallback()
    const response = await route.fetch()
    const headers = response.headers()
    const policy = headers['content-security-policy']
    await route.fulfill({
      response,
      headers: { ...headers, 'content-security-policy': policy ? `${policy}, ${STRICT_CSP}` : STRICT_CSP },
    })
  })
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/api/')) tab.apiCalls.push(`${request.method()} ${url.pathname}`)
  })
  page.on('dialog', (dialog) => {
    tab.dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return tab
}

const url = site.url

async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' })
  return (await locator.textContent())?.trim() ?? ''
}

const isVisible = (locator: Locator) => () => locator.isVisible()

/** How wide the image an <img> shows is, once loaded (0 before, or when it is broken). */
const naturalWidth = (img: Locator) => img.evaluate((element: HTMLImageElement) => (element.complete ? element.naturalWidth : 0))

const DEFAULT_PICTURE = '/static/profile_pics/default.jpg'

async function logIn(page: Page, user: NewUser): Promise<void> {
  await page.goto(url('/login'))
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await page.waitForURL(url('/'))
  await expect.poll(() => textOf(page.locator('#nav-username'))).toBe(user.username)
}

const token = (page: Page) => page.evaluate(() => localStorage.getItem('access_token'))

/** The post's card on a post page, once the page has loaded it. */
const postTitle = (page: Page) => page.locator('#post .post-title')

async function createPost(client: ApiClient, title: string, content = 'Some text.') {
  const { data, response } = await client.POST('/api/posts', { body: { title, content } })
  expect(response.status).toBe(201)
  return data!
}

/** A new account, registered and logged in through the API: every test brings its own. */
const signUpUser = (overrides: Partial<NewUser> = {}) => signUp(site.server, overrides)

/** Opens a confirmation dialog, confirms it and answers the status of the DELETE it sends. */
async function confirmDeletion(page: Page, dialog: { name: string; confirm: string; screenshot: string }) {
  const shown = page.getByRole('dialog', { name: dialog.name })
  await shown.waitFor()
  await screenshot(page, dialog.screenshot)
  const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE')
  await shown.getByRole('button', { name: dialog.confirm }).click()
  return (await deleted).status()
}

describe('GET /register', () => {
  it('a mismatched confirmation is shown while typing and sends nothing', async () => {
    const input = newUser({ username: 'Ada Newcomer' })
    const { page, apiCalls } = await openTab()
    await page.goto(url('/register'))
    await page.getByLabel('Username').fill(input.username)
    await page.getByLabel('Email').fill(input.email)
    await page.getByLabel('Password', { exact: true }).fill(input.password)
    await page.getByLabel('Confirm Password').fill(`${input.password}x`)

    const feedback = page.locator('#confirm-password-feedback')
    await expect.poll(() => textOf(feedback)).toBe('Passwords do not match.')
    await screenshot(page, 'register-mismatch')
    await page.getByRole('button', { name: 'Register' }).click()
    expect(page.url()).toBe(url('/register'))
    expect(await page.getByLabel('Confirm Password').evaluate((field: HTMLInputElement) => field.validity.valid)).toBe(false)

    await page.getByLabel('Confirm Password').fill(input.password)
    expect(await feedback.isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Register' }).click()
    await page.waitForURL(url('/login?registered=1'))
    expect(await textOf(page.locator('#login-notice'))).toContain('Check your inbox')
    // Exactly one registration went out, the second submit's: the first one sent nothing.
    expect(apiCalls.filter((call) => call === 'POST /api/users')).toEqual(['POST /api/users'])
    await login(site.server, input.email, input.password)
  })

  it("shows the API's errors (duplicate email, short password)", async () => {
    const existing = await register(site.server, newUser())
    const { page } = await openTab()
    await page.goto(url('/register'))
    const fill = async (email: string, password: string) => {
      await page.getByLabel('Username').fill('someone_else')
      await page.getByLabel('Email').fill(email)
      await page.getByLabel('Password', { exact: true }).fill(password)
      await page.getByLabel('Confirm Password').fill(password)
      await page.getByRole('button', { name: 'Register' }).click()
    }
    const alert = page.locator('#register-error')

    await fill(existing.email.toUpperCase(), 'long enough password')
    await expect.poll(() => textOf(alert)).toBe('Email already exists')
    await fill('someone@example.com', 'short')
    await expect.poll(() => alert.textContent()).toBe('password: String should have at least 8 characters')
    expect(page.url()).toBe(url('/register'))
  })
})

describe('GET /login', () => {
  it("a wrong password shows the API's message", async () => {
    const user = await signUpUser()
    const { page } = await openTab()
    await page.goto(url('/login'))
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('not the password')
    const sent = page.waitForRequest(url('/api/users/token'))
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    await expect.poll(() => textOf(page.locator('#login-error'))).toBe('Incorrect email or password')

    // The OAuth2 password form: the email goes as `username`, form-encoded, from the web client.
    const request = await sent
    expect(request.headers()['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(request.postData() ?? ''))).toEqual({
      username: user.email,
      password: 'not the password',
      client_id: 'web',
    })
    expect(page.url()).toBe(url('/login'))
    expect(await token(page)).toBeNull()
    await screenshot(page, 'login-failed')
  })
})

describe('GET /posts/new', () => {
  it('logs in, shows the username in the navbar, creates a post and sees it on /', async () => {
    const author = await signUpUser({ username: 'Ada Writer' })
    const { page } = await openTab()
    await logIn(page, author)
    expect(await token(page)).toBeTruthy()
    expect(await page.locator('#nav-signed-out').isVisible()).toBe(false)

    await page.getByRole('link', { name: 'New Post' }).click()
    await page.waitForURL(url('/posts/new'))
    await page.getByLabel('Title').fill('Hello from Ada')
    await page.getByLabel('Content').fill('First line.\nSecond line.')
    await screenshot(page, 'new-post')
    await page.getByRole('button', { name: 'Post', exact: true }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    const postId = Number(new URL(page.url()).pathname.split('/').pop())
    await expect.poll(() => textOf(postTitle(page))).toBe('Hello from Ada')
    await expect.poll(() => textOf(page.locator('#post .post-content'))).toBe('First line.\nSecond line.')
    await page.locator('#post-actions').waitFor()
    await screenshot(page, 'post-as-author')
    const stored = await site.server.client.GET('/api/posts/{post_id}', { params: { path: { post_id: postId } } })
    expect(stored.data).toMatchObject({ title: 'Hello from Ada', user_id: author.user.id })

    await page.goto(url('/'))
    const first = page.locator('#posts article').first()
    await expect.poll(() => textOf(first.locator('.post-title'))).toBe('Hello from Ada')
    expect(await first.locator('a', { hasText: author.username }).getAttribute('href')).toBe(`/users/${author.user.id}/posts`)
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)
    await expect.poll(() => first.locator('img.avatar').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    await screenshot(page, 'home')
  })
})

describe('GET /posts/{post_id}', () => {
  it('another signed-in user sees the post without Edit or Delete, and /users/me is asked once', async () => {
    const author = await signUpUser()
    const post = await createPost(author.client, 'Hello from the author')
    const reader = await signUpUser({ username: 'Bob Reader' })
    const { page, apiCalls } = await openTab()
    await logIn(page, reader)

    apiCalls.length = 0
    await page.goto(url(`/posts/${post.id}`))
    await expect.poll(() => textOf(postTitle(page))).toBe('Hello from the author')
    await expect.poll(() => textOf(page.locator('#nav-username'))).toBe(reader.username)
    expect(await page.getByRole('button', { name: 'Edit' }).isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: 'Delete' }).isVisible()).toBe(false)
    // The navbar and the page both want the current user: they share one request.
    expect(apiCalls.filter((call) => call === 'GET /api/users/me')).toHaveLength(1)
    await screenshot(page, 'post-as-reader')
  })

  it('the author edits the post, then deletes it after confirming', async () => {
    const author = await signUpUser()
    const post = await createPost(author.client, 'Hello from Ada')
    const { page } = await openTab()
    await logIn(page, author)
    await page.goto(url(`/posts/${post.id}`))
    await postTitle(page).waitFor()

    await page.getByRole('button', { name: 'Edit' }).click()
    expect(await page.getByLabel('Title').inputValue()).toBe('Hello from Ada')
    await page.getByLabel('Title').fill('Hello again from Ada')
    await screenshot(page, 'post-edit')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => postTitle(page).textContent()).toBe('Hello again from Ada')
    await expect.poll(isVisible(page.locator('#edit-post-form'))).toBe(false)
    expect(await page.title()).toBe('Hello again from Ada · Blog')

    await page.getByRole('button', { name: 'Delete' }).click()
    const status = await confirmDeletion(page, { name: 'Delete post?', confirm: 'Delete', screenshot: 'post-delete-confirm' })
    expect(status).toBe(204)
    await page.waitForURL(url('/'))

    await page.goto(url(`/posts/${post.id}`))
    await expect.poll(() => textOf(page.locator('#post-error'))).toBe('Post not found')
  })
})

describe('GET /account', () => {
  it('updates the username; logout signs out', async () => {
    const user = await signUpUser()
    const { page } = await openTab()
    await logIn(page, user)
    await page.locator('#nav-account').click()
    await page.waitForURL(url('/account'))
    await page.locator('#account').waitFor()
    expect(await page.getByLabel('Username').inputValue()).toBe(user.username)
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email)

    await page.getByLabel('Username').fill('Ada Lovelace')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => textOf(page.locator('#account-saved'))).toBe('Your account has been updated.')
    await expect.poll(() => page.locator('#nav-username').textContent()).toBe('Ada Lovelace')
    await expect.poll(() => textOf(page.locator('#account-name'))).toBe('Ada Lovelace')
    await screenshot(page, 'account')

    await page.getByRole('button', { name: 'Logout' }).click()
    await page.waitForURL(url('/'))
    await page.locator('#nav-signed-out').waitFor()
    expect(await page.locator('#nav-signed-in').isVisible()).toBe(false)
    expect(await page.getByRole('link', { name: 'Login' }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'Register' }).isVisible()).toBe(true)
    expect(await token(page)).toBeNull()
  })

  it('asks for the password when the email changes, and only then', async () => {
    const user = await signUpUser()
    const { page, apiCalls } = await openTab()
    await logIn(page, user)
    await page.goto(url('/account'))
    await page.locator('#account').waitFor()
    const password = page.locator('#account-current-password')
    expect(await password.isVisible()).toBe(false)

    const newEmail = `new.${user.email}`
    await page.getByLabel('Email').fill(newEmail)
    await password.waitFor({ state: 'visible' })
    await page.getByRole('button', { name: 'Save changes' }).click()
    // Required while shown: the browser stops the submit.
    expect(await password.evaluate((field: HTMLInputElement) => field.validity.valueMissing)).toBe(true)
    expect(apiCalls).not.toContain(`PATCH /api/users/${user.user.id}`)

    await password.fill('not my password')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => textOf(page.locator('#account-error'))).toBe('Incorrect password')
    await screenshot(page, 'account-email-needs-password')
    await password.fill(user.password)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect
      .poll(() => textOf(page.locator('#account-saved')))
      .toBe('Your account has been updated. We mailed a link to verify the new address.')
    // The new address is unverified: the banner names it.
    await expect.poll(() => textOf(page.locator('#verify-banner-email'))).toBe(newEmail)
    expect(await page.locator('#verify-banner').isVisible()).toBe(true)
    await expect.poll(() => textOf(page.locator('#account-email-text'))).toBe(newEmail)
    await expect.poll(isVisible(password)).toBe(false)

    // Back to the same email in another casing: no change, so no password.
    await page.getByLabel('Email').fill(newEmail.toUpperCase())
    expect(await password.isVisible()).toBe(false)
    const me = await user.client.GET('/api/users/me')
    expect(me.data?.email).toBe(newEmail)
  })

  it('uploads a picture after a preview; it shows on the account page, in the navbar and on the posts', async () => {
    const user = await signUpUser()
    await createPost(user.client, 'With my picture')
    const { page, apiCalls } = await openTab()
    await logIn(page, user)
    await page.goto(url('/account'))
    await page.locator('#account').waitFor()
    const avatars = { account: page.locator('#account-avatar'), navbar: page.locator('#nav-avatar'), card: page.locator('#picture-image') }
    expect(await avatars.navbar.getAttribute('src')).toBe(DEFAULT_PICTURE)
    expect(await page.getByRole('button', { name: 'Remove' }).isVisible()).toBe(false)

    // A file that is no picture: nothing is shown as uploaded, the API's message is.
    await page.getByLabel('New picture').setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: HTML_NAMED_JPG })
    await page.getByRole('button', { name: 'Upload' }).click()
    await expect.poll(() => textOf(page.locator('#picture-error'))).toBe('File is not a JPEG, PNG or WebP image')

    apiCalls.length = 0
    await page.getByLabel('New picture').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await phoneJpeg() })
    await expect.poll(() => avatars.card.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    await expect.poll(() => naturalWidth(avatars.card)).toBeGreaterThan(0)
    expect(await textOf(page.locator('#picture-caption'))).toBe('Preview: not uploaded yet')
    expect(apiCalls).toEqual([])
    await screenshot(page, 'account-picture-preview')

    await page.getByRole('button', { name: 'Upload' }).click()
    await expect.poll(() => textOf(page.locator('#picture-saved'))).toBe('Your picture has been updated.')
    expect(await page.locator('#picture-error').isVisible()).toBe(false)
    const { data: me } = await user.client.GET('/api/users/me')
    expect(me!.image_path).toMatch(/^\/media\/profile_pics\/[0-9a-f]{32}\.webp$/)
    for (const [where, avatar] of Object.entries(avatars)) {
      await expect.poll(() => avatar.getAttribute('src'), { message: where }).toBe(me!.image_path)
      await expect.poll(() => naturalWidth(avatar), { message: where }).toBe(256)
    }
    expect(await page.getByRole('button', { name: 'Remove' }).isVisible()).toBe(true)
    await screenshot(page, 'account-picture')

    for (const path of [`/users/${user.user.id}/posts`, '/']) {
      await page.goto(url(path))
      const card = page.locator('#posts article', { hasText: 'With my picture' }).first()
      await expect.poll(() => card.locator('img.avatar').getAttribute('src'), { message: path }).toBe(me!.image_path)
      await expect.poll(() => naturalWidth(card.locator('img.avatar')), { message: path }).toBe(256)
      expect(await avatars.navbar.getAttribute('src')).toBe(me!.image_path)
    }
    await screenshot(page, 'user-posts-with-picture')

    await page.goto(url('/account'))
    await page.getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => textOf(page.locator('#picture-saved'))).toBe('Your picture has been removed.')
    for (const [where, avatar] of Object.entries(avatars)) {
      await expect.poll(() => avatar.getAttribute('src'), { message: where }).toBe(DEFAULT_PICTURE)
    }
    expect((await site.server.fetch(me!.image_path)).status).toBe(404)
  })

  it('changes the password and stays signed in', async () => {
    const user = await signUpUser()
    const { page, apiCalls } = await openTab()
    await logIn(page, user)
    await page.goto(url('/account'))
    await page.locator('#account').waitFor()
    const oldToken = await token(page)

    await page.getByLabel('Current Password').fill('not my password')
    await page.getByLabel('New Password', { exact: true }).fill('a new password 1')
    await page.getByLabel('Confirm New Password').fill('a new password 2')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.locator('#confirm-new-password.is-invalid').waitFor()
    expect(apiCalls).not.toContain('PATCH /api/users/me/password')

    await page.getByLabel('Confirm New Password').fill('a new password 1')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => textOf(page.locator('#password-error'))).toBe('Incorrect password')

    await page.getByLabel('Current Password').fill(user.password)
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => textOf(page.locator('#password-saved'))).toBe('Your password has been changed.')
    await screenshot(page, 'account-password-changed')

    // This page's session goes on, with its token; the sign-up's session (another device) ended.
    // No sign-in again: the only token request was the login's.
    expect(apiCalls.filter((call) => call === 'POST /api/users/token')).toHaveLength(1)
    await page.reload()
    await expect.poll(() => textOf(page.locator('#nav-username'))).toBe(user.username)
    expect(await token(page)).toBe(oldToken)
    expect((await site.server.clientAs(oldToken!).GET('/api/users/me')).response.status).toBe(200)
    expect((await user.client.GET('/api/users/me')).response.status).toBe(401)
  })

  it('deletes the account after a confirmation, with its posts', async () => {
    const user = await signUpUser()
    const post = await createPost(user.client, 'Soon gone')
    const { page } = await openTab()
    await logIn(page, user)
    await page.goto(url('/account'))
    await page.getByRole('button', { name: 'Delete account' }).click()
    const status = await confirmDeletion(page, {
      name: 'Delete your account?',
      confirm: 'Delete my account',
      screenshot: 'account-delete-confirm',
    })
    expect(status).toBe(204)
    await page.waitForURL(url('/'))
    await page.locator('#nav-signed-out').waitFor()
    expect(await token(page)).toBeNull()
    const { response } = await site.server.client.GET('/api/posts/{post_id}', { params: { path: { post_id: post.id } } })
    expect(response.status).toBe(404)
  })
})

describe('signed-in pages', () => {
  it('send a signed-out visitor to /login', async () => {
    const { page } = await openTab()
    for (const path of ['/account', '/posts/new']) {
      await page.goto(url(path))
      await page.waitForURL(url('/login'))
    }
  })

  it('a rejected token is removed and the navbar shows the visitor signed out', async () => {
    const { page } = await openTab()
    await page.goto(url('/'))
    await page.evaluate(() => localStorage.setItem('access_token', 'not-a-token'))
    await page.reload()
    await page.locator('#nav-signed-out').waitFor()
    await expect.poll(() => token(page)).toBeNull()
  })
})

describe('GET /users/{user_id}/posts', () => {
  it("lists the author's posts, ten at a time with Load more", async () => {
    const author = await signUpUser({ username: 'Prolific' })
    for (let i = 1; i <= 12; i++) await createPost(author.client, `Post number ${i}`)
    const { page } = await openTab()
    await page.goto(url(`/users/${author.user.id}/posts`))
    await expect.poll(() => textOf(page.locator('#posts-heading'))).toBe('Posts by Prolific')
    const cards = page.locator('#posts article')
    await expect.poll(() => cards.count()).toBe(10)
    await expect.poll(() => textOf(cards.first().locator('.post-title'))).toBe('Post number 12')
    await screenshot(page, 'user-posts')

    await page.getByRole('button', { name: 'Load more' }).click()
    await expect.poll(() => cards.count()).toBe(12)
    await expect.poll(() => textOf(cards.last().locator('.post-title'))).toBe('Post number 1')
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false)
  })
})

describe('GET /posts', () => {
  it('pages through every post with Load more', async () => {
    // More than a page of its own, whatever other tests of this file wrote before.
    const author = await signUpUser()
    for (let i = 1; i <= 11; i++) await createPost(author.client, `Home post ${i}`)
    const { data } = await site.server.client.GET('/api/posts', { params: { query: { limit: 1 } } })
    expect(data!.total).toBeGreaterThan(10)
    const { page } = await openTab()
    await page.goto(url('/posts'))
    const cards = page.locator('#posts article')
    await expect.poll(() => cards.count()).toBe(10)
    while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
      const before = await cards.count()
      await page.getByRole('button', { name: 'Load more' }).click()
      await expect.poll(() => cards.count()).toBeGreaterThan(before)
    }
    expect(await cards.count()).toBe(data!.total)
  })
})

describe('GET /, /posts/{post_id} and /users/{user_id}/posts', () => {
  it('show user content as text: a post titled <img src=x onerror=alert(1)>', async () => {
    const author = await signUpUser({ username: '<b>bold</b>' })
    const title = '<img src=x onerror=alert(1)>'
    const post = await createPost(author.client, title, '<script>alert(2)</script>')
    const tab = await openTab()
    const { page } = tab
    for (const path of ['/', `/posts/${post.id}`, `/users/${author.user.id}/posts`]) {
      await page.goto(url(path))
      const card = page.locator('article', { hasText: title }).first()
      await expect.poll(() => textOf(card.locator('.post-title'))).toBe(title)
      expect(await card.locator('.post-content').textContent()).toBe('<script>alert(2)</script>')
      expect(await card.locator('a', { hasText: '<b>bold</b>' }).count()).toBe(1)
      expect(await page.locator('img[src="x"], #posts script, #post script, b').count()).toBe(0)
    }
    await screenshot(page, 'post-with-markup-title')
    expect(tab.dialogs).toEqual([])
  })
})

describe('error pages', () => {
  it('unknown pages and bad ids get an HTML error page with a real 404', async () => {
    const { page } = await openTab()
    for (const path of ['/no-such-page', '/posts/abc', '/posts/0', '/users/abc/posts']) {
      const response = await page.goto(url(path))
      expect(response?.status(), path).toBe(404)
      expect(response?.headers()['content-type']).toMatch(/^text\/html/)
      await expect.poll(() => textOf(page.locator('h1'))).toBe('Page not found')
    }
    await screenshot(page, 'error-404')
  })

  it('an id the API does not know shows its message', async () => {
    const { page } = await openTab()
    await page.goto(url('/posts/999999'))
    await expect.poll(() => textOf(page.locator('#post-error'))).toBe('Post not found')
    await screenshot(page, 'post-not-found')
    await page.goto(url('/users/999999/posts'))
    await expect.poll(() => textOf(page.locator('#posts-error'))).toBe('User not found')
  })

  it('/api/* still answers JSON', async () => {
    for (const [path, status] of [['/api/no-such-thing', 404], ['/api/posts/abc', 422]] as const) {
      const response = await fetch(url(path))
      expect(response.status).toBe(status)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    }
  })

  it('serves the default profile picture as a real JPEG', async () => {
    const response = await fetch(url('/static/profile_pics/default.jpg'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 3)]).toEqual([0xff, 0xd8, 0xff])
  })
})
