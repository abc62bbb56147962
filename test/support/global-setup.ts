import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildWeb } from '../../scripts/build-web.js'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import { declaredPairs } from './contract.js'

declare module 'vitest' {
  export interface ProvidedContext {
    contractRecordsDir: string
  }
}

let recordsDir = ''
let dropPostgres = async () => {}

export async function setup(project: TestProject) {
  // One database per run on the PostgreSQL server TEST_DATABASE_URL names; each test context
  // takes a schema of its own in it, and the whole database is dropped at the end.
  const postgresServer = process.env.TEST_DATABASE_URL
  if (postgresServer) {
    const run = await createScratchDatabase(postgresServer, 'blog_test')
    dropPostgres = run.drop
    project.provide('postgresUrl', run.url)
  } else {
    console.log('PostgreSQL pass skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it.')
  }
  // Each run records into its own folder, so two runs at once never mix their records.
  recordsDir = mkdtempSync(join(tmpdir(), 'blog-contract-'))
  project.provide('contractRecordsDir', recordsDir)
  // The browser tests load the site's bundle, so a fresh clone builds it here first.
  await buildWeb()
}

/**
 * After the whole suite: every (operation, status) pair the spec declares must have been seen in
 * some test. Skipped when only some files run (CHECK_CONTRACT_COVERAGE is set by `npm test`).
 */
export async function teardown() {
  await dropPostgres()
  const files = readdirSync(recordsDir).map((file) => join(recordsDir, file))
  const lines = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
  rmSync(recordsDir, { recursive: true, force: true })
  if (!process.env.CHECK_CONTRACT_COVERAGE) return
  const seen = new Set(
    lines.map((line) => {
      const { operationId, status } = JSON.parse(line) as { operationId: string; status: string }
      return `${operationId} ${status}`
    }),
  )
  const declared = declaredPairs()
  const missing = declared.filter((pair) => !seen.has(pair))
  console.log(`Contract coverage: ${declared.length - missing.length}/${declared.length} (operation, status) pairs exercised`)
  if (missing.length > 0) {
    // vitest only reports an error thrown here; the exit code is what makes the run fail.
    process.exitCode = 1
    console.error(`Documented responses no test exercised:\n  ${missing.join('\n  ')}`)
  }
}

