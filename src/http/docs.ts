import { createHash } from 'node:crypto'
import { serveStatic } from '@hono/node-server/serve-static'
import { SwaggerUI } from '@hono/swagger-ui'
import type { Hono } from 'hono'
import { SITE_POLICY, securityHeaders } from './security-headers.js'

const SWAGGER_ASSETS = '/vendor/swagger-ui-dist'

const SPEC_URL = '/openapi.json'

const swaggerBody = SwaggerUI({ url: SPEC_URL, baseUrl: '/vendor', persistAuthorization: true })

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Blog API docs</title>
  </head>
  <body>${swaggerBody}</body>
</html>`

// Swagger UI starts from one inline script. Rather than allow every inline script, the policy
// allows exactly that one, by its hash. Swagger UI sets inline styles, so styles are relaxed.
const scriptHashes = [...swaggerBody.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
  ([, script]) => `'sha256-${createHash('sha256').update(script ?? '').digest('base64')}'`,
)
const docsHeaders = securityHeaders({
  ...SITE_POLICY,
  scriptSrc: ["'self'", ...scriptHashes],
  styleSrc: ["'self'", "'unsafe-inline'"],
})

/** Swagger UI at /docs, its assets served from node_modules so it works with no network. */
export function mountDocs(app: Hono<any>, document: object): void {
  app.get(SPEC_URL, (c) => c.json(document))
  app.get('/docs', docsHeaders, (c) => c.html(page))
  app.use(
    `${SWAGGER_ASSETS}/*`,
    serveStatic({
      root: './node_modules/swagger-ui-dist',
      rewriteRequestPath: (path) => path.slice(SWAGGER_ASSETS.length),
    }),
  )
}
