/** Runs at most `max` tasks at once; the others wait their turn. */
export function createLimiter(max: number) {
  let active = 0
  const waiting: (() => void)[] = []
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    while (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    active += 1
    try {
      return await task()
    } finally {
      active -= 1
      waiting.shift()?.()
    }
  }
}
