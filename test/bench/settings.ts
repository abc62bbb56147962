/** Everything that shapes a run, in one place. Durations are seconds. */
export const SETTINGS = {
  /** Users seeded at every size, so that a user's first page compares fairly across sizes. */
  users: 1000,
  /** Posts seeded, one fresh database each; the write, login and storm scenarios run at the first only. */
  sizes: [1000, 1_000_000],
  /** WEB_CONCURRENCY of the service in each pass. */
  workerCounts: [1, 2],
  password: 'bench-password-1234',
  warmupSeconds: 1,
  measureSeconds: 5,
  /** Closed-loop clients for the HTTP read and write scenarios (wrk -t1 -c<connections>). */
  connections: 10,
  /**
   * Clients for the deep page (`?skip=` half the posts). At 1,000,000 posts one such query takes
   * SQLite a few hundred ms on its one connection, so 10 clients would queue past the service's
   * 3 s wait for a connection and get 503s; 2 keep the queue short at both sizes.
   */
  deepPageConnections: 2,
  /** Concurrent logins, and the same number of concurrent raw verifications for the floor. */
  loginConcurrency: 4,
  /** How many different posts GET /api/posts/{id} asks for in turn, spread over the table. */
  rotatedPosts: 1000,
  /**
   * The reader beside the login storm sends a steady rate below what the service can serve even
   * during the storm, so its p99 shows how long readers wait, not how far the CPU is shared.
   */
  stormProbe: { connections: 4, requestsPerSecond: 50 },
  /** Whole-run guard: a full run on both databases takes about 10 minutes, one that hangs stops here. */
  maxRunSeconds: 1200,
  resultsDir: 'bench-results',
} as const
