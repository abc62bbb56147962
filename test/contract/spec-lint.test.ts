import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SPEC_PATH } from '../../openapi/paths.js'
import { spec } from '../support/spec.js'

// Spectral with the OWASP API Security ruleset, configured in .spectral.yaml, where every rule
// turned off says why.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SPECTRAL = join(ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js')
const SEVERITIES = ['error', 'warning', 'info', 'hint']

interface Finding {
  code: string
  message: string
  path: string[]
  severity: number
}

interface LintRun {
  exitCode: number
  findings: Finding[]
  stderr: string
}

/** Runs the Spectral CLI with the project's ruleset; exits non-zero on any warning or error. */
function lint(file: string): Promise<LintRun> {
  const args = [SPECTRAL, 'lint', file, '--ruleset', '.spectral.yaml', '--format', 'json', '--fail-severity', 'warn', '--quiet']
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ exitCode, findings: stdout.trim() ? (JSON.parse(stdout) as Finding[]) : [], stderr })
    })
  })
}

const describeFinding = (f: Finding) => `${SEVERITIES[f.severity]} ${f.code} at ${f.path.join('.')}: ${f.message}`

describe('spec lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blog-spec-lint-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds no error or warning in openapi/openapi.json', async () => {
    const run = await lint(SPEC_PATH)
    const problems = run.findings.filter((finding) => finding.severity <= 1)
    expect(problems.map(describeFinding), run.stderr).toEqual([])
    expect(run.exitCode, run.stderr).toBe(0)
  })

  // Proof that the rulesets are loaded and the project's own rules bite: a spec with an
  // unprotected write and an unbounded request field fails.
  it('fails a spec with an unprotected write and a request string without maxLength', async () => {
    const mutated = structuredClone(spec)
    delete mutated.paths['/api/posts']!.post!.security
    delete mutated.components.schemas.PostCreate!.properties!.title!.maxLength
    const broken = join(dir, 'openapi.json')
    writeFileSync(broken, JSON.stringify(mutated, null, 2))

    const run = await lint(broken)
    const errors = run.findings.filter((finding) => finding.severity === 0).map((f) => `${f.code} ${f.path.join('.')}`)
    expect(errors).toContain('owasp:api2:2023-write-restricted paths./api/posts.post')
    expect(errors).toContain('request-string-limit components.schemas.PostCreate.properties.title')
    expect(run.exitCode).not.toBe(0)
  })
})
