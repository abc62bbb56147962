import { build } from 'esbuild'
import { buildWeb } from './build-web.js'

await buildWeb()

// `--web-only` is for `npm run dev`, where tsx runs the server from source.
if (!process.argv.includes('--web-only')) {
  // The server, bundled into one file that imports its dependencies from node_modules at run time.
  await build({
    entryPoints: ['src/server.ts'],
    outfile: 'dist/server.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  })
}
