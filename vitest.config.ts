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
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: postgresOnly, provide: { database: 'sqlite' as const } } },
      ...(process.env.TEST_DATABASE_URL
        ? [{ test: { ...common, name: 'postgresql', include: onBothDatabases, exclude: sqliteOnly, provide: { database: 'postgresql' as const } } }]
        : []),
    ],
  },
})
