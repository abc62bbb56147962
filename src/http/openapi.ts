import type { OpenAPIHono } from '@hono/zod-openapi'

export const SECURITY_SCHEME = 'OAuth2PasswordBearer'

export const DOCUMENT_CONFIG: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Blog API',
    version: '1.0.0',
    description:
      'Accounts and posts for a small blog. Log in with the Authorize button (your email as ' +
      'username); only the owner of an account or a post may change it.',
  },
  tags: [
    { name: 'auth', description: 'Signing in, refreshing, passwords' },
    { name: 'sessions', description: "Signing out, and where you're signed in" },
    { name: 'two-factor', description: 'Two-factor authentication: an authenticator app (TOTP) and recovery codes' },
    { name: 'passkeys', description: 'Passkeys (WebAuthn): add and manage them, sign in with one' },
    { name: 'users', description: 'Accounts and their posts' },
    { name: 'pictures', description: 'Profile pictures: upload, remove, serve' },
    { name: 'posts', description: 'Blog posts' },
    { name: 'operations', description: 'Health checks for a load balancer or an orchestrator' },
  ],
}

/** `components` given to doc31() is dropped; a registered component is kept. */
export function registerSecurityScheme(app: OpenAPIHono<any>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'oauth2',
    description:
      'Log in with your email as username and your password. The access token is an HMAC-signed ' +
      'JWT, issued and checked as RFC8725 advises: one pinned algorithm, and a verified ' +
      'signature, issuer, audience, expiry and subject.',
    flows: { password: { tokenUrl: '/api/users/token', scopes: {} } },
  })
}
