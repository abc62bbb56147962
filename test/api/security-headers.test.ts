import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../support/context.js'
import { signUp } from '../support/users.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await createTestContext()
})
afterAll(() => ctx.close())

function directives(policy: string | null): Map<string, string[]> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  )
}

describe('security headers', () => {
  it.each(['/', '/login', '/docs', '/openapi.json', '/api/posts', '/api/nope', '/no-such-page'])(
    '%s has the baseline headers and a policy with no inline scripts and no framing',
    async (path) => {
      const response = await ctx.fetch(path)
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(response.headers.get('X-Frame-Options')).toBe('DENY')
      const csp = directives(response.headers.get('Content-Security-Policy'))
      expect(csp.get('frame-ancestors')).toEqual(["'none'"])
      expect(csp.get('script-src')).toContain("'self'")
      expect(csp.get('script-src')).not.toContain("'unsafe-inline'")
      expect(csp.get('script-src')).not.toContain("'unsafe-eval'")
    },
  )

  it('pins the one inline script of /docs by its hash', async () => {
    const response = await ctx.fetch('/docs')
    const scriptSrc = directives(response.headers.get('Content-Security-Policy')).get('script-src') ?? []
    expect(scriptSrc.filter((value) => value.startsWith("'sha256-"))).toHaveLength(1)
  })

  it.each(['/login', '/register', '/account'])('%s sends no referrer', async (path) => {
    const response = await ctx.fetch(path)
    expect(response.status).toBe(200)
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
  })

  it('other pages send only their origin across sites', async () => {
    const response = await ctx.fetch('/')
    expect(response.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
  })

  it('the token and /api/users/me are never cached', async () => {
    const alice = await signUp(ctx)
    const me = await alice.client.GET('/api/users/me')
    expect(me.response.headers.get('Cache-Control')).toBe('no-store')
    const form = new URLSearchParams({ username: alice.email, password: alice.password })
    const issued = await ctx.fetch('/api/users/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(issued.status).toBe(200)
    expect(issued.headers.get('Cache-Control')).toBe('no-store')
  })
})
