/** Everything that shapes a run, in one place. Durations are seconds. */
export const SETTINGS = {
  users: 100,
  posts: 1000,
  password: 'bench-password-1234',
  warmupSeconds: 2,
  measureSeconds: 8,
  /** Closed-loop clients for the HTTP read and write scenarios. */
  connections: 10,
  /** Concurrent logins, and the same number of concurrent raw verifications for the floor. */
  loginConcurrency: 4,
  /**
   * The reader beside the login storm sends a steady rate below what the service can serve even
   * during the storm, so its p99 shows how long readers wait, not how far the CPU is shared.
   */
  stormProbe: { connections: 4, requestsPerSecond: 50 },
  /** Whole-run guard: a run with both database passes takes about 190 s, one that hangs stops here. */
  maxRunSeconds: 300,
  resultsDir: 'bench-results',
} as const
