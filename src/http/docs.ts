import { serveStatic } from '@hono/node-server/serve-static'
import { swaggerUI } from '@hono/swagger-ui'
import type { Hono } from 'hono'

const SWAGGER_ASSETS = '/vendor/swagger-ui-dist'

/** Swagger UI at /docs, its assets served from node_modules so it works with no network. */
export function mountDocs(app: Hono<any>, document: object): void {
  app.get('/openapi.json', (c) => c.json(document))
  app.get(
    '/docs',
    swaggerUI({ url: '/openapi.json', baseUrl: '/vendor', persistAuthorization: true, title: 'Blog API docs' }),
  )
  app.use(
    `${SWAGGER_ASSETS}/*`,
    serveStatic({
      root: './node_modules/swagger-ui-dist',
      rewriteRequestPath: (path) => path.slice(SWAGGER_ASSETS.length),
    }),
  )
}
