import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'

/** Where scripts/build-web.ts writes the browser bundle. */
export const WEB_ASSETS_DIR = 'dist/web'

/** Serves `prefix/*` from `root`, with the prefix taken off the path. */
function serveFolder(app: Hono<any>, prefix: string, root: string): void {
  app.use(`${prefix}/*`, serveStatic({ root, rewriteRequestPath: (path) => path.slice(prefix.length) }))
}

/**
 * Files under the URLs the API's image paths name: /static/ (shipped with the project, such as the
 * default profile picture) and /media/ (uploaded pictures; the folder may not exist yet).
 */
export function mountStatic(app: Hono<any>): void {
  app.use('/static/*', serveStatic({ root: './public' }))
  app.use('/media/*', serveStatic({ root: './' }))
  serveFolder(app, '/assets', `./${WEB_ASSETS_DIR}`)
  serveFolder(app, '/vendor/bootstrap', './node_modules/bootstrap/dist')
}
