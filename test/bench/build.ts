import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const SERVER_BUNDLE = 'dist/server.js'
const SOURCES = ['src', 'scripts/build.ts', 'package-lock.json']

function newestModification(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestModification(join(path, name))))
}

/** Runs `npm run build` when the bundle is missing or older than any source it is built from. */
export function buildIfStale(): void {
  const built = existsSync(SERVER_BUNDLE) ? statSync(SERVER_BUNDLE).mtimeMs : 0
  if (SOURCES.every((path) => newestModification(path) <= built)) return
  console.log(`Building ${SERVER_BUNDLE} ...`)
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
}
