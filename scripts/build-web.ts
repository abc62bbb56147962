import { build } from 'esbuild'
import { WEB_ASSETS_DIR } from '../src/pages/static.js'

/** The browser code and styles in web/, minified into dist/web/, which the server serves at /assets/. */
export async function buildWeb(): Promise<void> {
  await build({
    entryPoints: { main: 'web/main.ts', site: 'web/site.css' },
    outdir: WEB_ASSETS_DIR,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  })
}
