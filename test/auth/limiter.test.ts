import { expect, it } from 'vitest'
import { createLimiter } from '../../src/auth/limiter.js'

it('runs at most the given number of tasks at once, and every task to its end', async () => {
  const limit = createLimiter(2)
  let running = 0
  let most = 0
  const task = (i: number) =>
    limit(async () => {
      running += 1
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, 5))
      running -= 1
      if (i === 3) throw new Error('a failing task frees its place')
      return i
    })
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => task(i)))
  expect(most).toBe(2)
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([0, 1, 2, 'failed', 4, 5, 6, 7])
})
