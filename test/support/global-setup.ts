import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { declaredPairs, RECORDS_DIR } from './contract.js'

export function setup() {
  rmSync(RECORDS_DIR, { recursive: true, force: true })
}

/**
 * After the whole suite: every (operation, status) pair the spec declares must have been seen in
 * some test. Skipped when only some files run (CHECK_CONTRACT_COVERAGE is set by `npm test`).
 */
export function teardown() {
  if (!process.env.CHECK_CONTRACT_COVERAGE) return
  const seen = new Set<string>()
  for (const file of safeReaddir(RECORDS_DIR)) {
    for (const line of readFileSync(join(RECORDS_DIR, file), 'utf8').split('\n').filter(Boolean)) {
      const { operationId, status } = JSON.parse(line) as { operationId: string; status: string }
      seen.add(`${operationId} ${status}`)
    }
  }
  const declared = declaredPairs()
  const missing = declared.filter((pair) => !seen.has(pair))
  console.log(`Contract coverage: ${declared.length - missing.length}/${declared.length} (operation, status) pairs exercised`)
  if (missing.length > 0) {
    throw new Error(`Documented responses no test exercised:\n  ${missing.join('\n  ')}`)
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
