import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'

/** Where scripts/build-web.ts writes the browser bundle. */
export const WEB_ASSETS_DIR = 'dist/web'

/** Serves `prefix/*` from `root`, with the prefix taken off the path. */
function serveFolder(app: Hono<any>, prefix: string, root: string): void {
  app.use(`${prefix}/*`, serveStatic({ root, rewriteRequestPath: (path) => path.slice(prefix.length) }))
}

/**
 * Files shipped with the project: /static/ (the default profile picture), the browser bundle and
 * Bootstrap. Uploaded pictures are in the database and served by the API (src/routes/pictures/).
 */
export function mountStatic(app: Hono<any>): void {
  app.use('/static/*', serveStatic({ root: './public' }))
  serveFolder(app, '/assets', `./${WEB_ASSETS_DIR}`)
  serveFolder(app, '/vendor/bootstrap', './node_modules/bootstrap/dist')
}
