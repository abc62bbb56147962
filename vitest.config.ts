import { defineConfig } from 'vitest/config'

// Every suite runs on SQLite. The API, contract, database and lifecycle suites run again on
// PostgreSQL when TEST_DATABASE_URL names a server (test/support/global-setup.ts makes a
// database there for the run and drops it afterwards).
const common = {
  setupFiles: ['test/support/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
}

const onBothDatabases = ['test/api/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/db/**/*.test.ts', 'test/lifecycle/**/*.test.ts']
const sqliteOnly = ['test/lifecycle/sqlite-*.test.ts']
const postgresOnly = ['test/lifecycle/postgres-*.test.ts']

export default defineConfig({
  test: {
    // Most of the suite waits (on server processes, the browser, PostgreSQL, timers) rather than
    // computes, so two files at a time finish sooner even on one or two cores. Vitest's default
    // is one fewer than the cores: one file at a time on a two-core machine.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: postgresOnly, provide: { database: 'sqlite' as const } } },
      ...(process.env.TEST_DATABASE_URL
        ? [{ test: { ...common, name: 'postgresql', include: onBothDatabases, exclude: sqliteOnly, provide: { database: 'postgresql' as const } } }]
        : []),
    ],
  },
})
