import argon2 from 'argon2'
import { vi } from 'vitest'

/**
 * Runs Argon2 at its cheapest cost in the calling test file, for suites about something other
 * than password hashing: a hash (and so a verification) takes about a millisecond instead of a
 * quarter of a second, which on two cores decides how long such a suite takes. The spy is the
 * file's own, so `vi.mocked(argon2.hash)` sees every hash the app made.
 */
export function useCheapArgon2(): void {
  const hashAtFullCost = argon2.hash.bind(argon2)
  vi.spyOn(argon2, 'hash').mockImplementation(((password: Buffer | string, options?: argon2.Options) =>
    hashAtFullCost(password, { ...options, memoryCost: 1024, timeCost: 1, parallelism: 1 })) as typeof argon2.hash)
}
