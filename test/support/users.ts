import { expect } from 'vitest'
import { nameKey } from '../../src/rules/names.js'
import type { UserPrivate } from '../../client/index.js'
import type { TestContext } from './context.js'
import { subjectOf, verificationLink, type MailServer } from './mail.js'

let sequence = 0

export interface NewUser {
  username: string
  email: string
  password: string
}

export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  sequence += 1
  return {
    username: `user${sequence}`,
    email: `user${sequence}@example.com`,
    password: `password-${sequence}-secret`,
    ...overrides,
  }
}

export async function register(ctx: TestContext, user: NewUser): Promise<UserPrivate> {
  const { data, error, response } = await ctx.client.POST('/api/users', { body: user })
  expect(response.status, JSON.stringify(error)).toBe(201)
  return data!
}

export async function login(ctx: TestContext, email: string, password: string): Promise<string> {
  const { data, response } = await ctx.client.POST('/api/users/token', {
    body: { username: email, password },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  expect(response.status).toBe(200)
  return data!.access_token
}

/** Registers and logs in a new user. */
export async function signUp(ctx: TestContext, overrides: Partial<NewUser> = {}) {
  const input = newUser(overrides)
  const user = await register(ctx, input)
  const token = await login(ctx, input.email, input.password)
  return { ...input, user, token, client: ctx.clientAs(token) }
}

/**
 * Registers and logs in a new user, and takes the verification mail that registration sends from
 * the mail server, so the next mail a test reads is its own.
 */
export async function signUpMailed(ctx: Pick<TestContext, 'client' | 'clientAs'>, mail: MailServer, overrides: Partial<NewUser> = {}) {
  const signedUp = await signUp(ctx as TestContext, overrides)
  const verification = await mail.next()
  expect(verification.to).toEqual([signedUp.email])
  expect(subjectOf(verification)).toBe('Verify your email address')
  return { ...signedUp, verificationToken: verificationLink(verification).token }
}

/** Registers and logs in a new user on a running server; resolves to the access token. */
export async function signUpAt(origin: string, input: NewUser = newUser()): Promise<string> {
  const created = await fetch(`${origin}/api/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  expect(created.status).toBe(201)
  const login = await fetch(`${origin}/api/users/token`, {
    method: 'POST',
    body: new URLSearchParams({ username: input.email, password: input.password }),
  })
  expect(login.status).toBe(200)
  return ((await login.json()) as { access_token: string }).access_token
}

/**
 * The columns of a user row written straight through the ORM, keyed as the request schemas key
 * them (src/lib/users.ts); for tests of the database layer, not of the API.
 */
export function userRow(username: string, email: string) {
  return { username, email, usernameKey: nameKey(username), emailKey: nameKey(email), passwordHash: 'x' }
}
