import { Hono, type MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

type Directives = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>

/** Pages load only this server's own scripts, styles and images, and never run in a frame. */
export const SITE_POLICY: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/**
 * The headers of every response. `overwrite: false` keeps a stricter or route-specific header
 * that a route set itself (the /docs policy, `no-referrer` on auth pages).
 */
export function securityHeaders(policy: Directives = SITE_POLICY): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: policy,
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    overwrite: false,
  })
}

/** The headers securityHeaders() sets, for a response written without Hono (to a bare socket). */
export async function securityHeaderValues(): Promise<Record<string, string>> {
  const probe = new Hono().use(securityHeaders()).all('*', (c) => c.body(null))
  return Object.fromEntries((await probe.request('/')).headers)
}

/** For pages that handle credentials: no URL of theirs leaks to another site. */
export const noReferrer: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('Referrer-Policy', 'no-referrer')
}
