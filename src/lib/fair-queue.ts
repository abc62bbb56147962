export interface FairQueueLimits {
  /** Tasks running at once. */
  concurrency: number
  /** Tasks waiting for a turn, from every client together. */
  maxWaiting: number
  /** Places (running or waiting) one client may hold at once. */
  maxPerClient: number
}

/** The queue had no place for the task: the caller should answer at once that it is busy. */
export class QueueFullError extends Error {
  override name = 'QueueFullError'
}

/**
 * Runs at most `concurrency` tasks at once and queues the rest in order. The queue is bounded
 * and fair: one client holds at most `maxPerClient` places and at most `maxWaiting` tasks wait
 * in all, so a flood from one client can delay anyone else's task by a few tasks at most.
 * Past either bound, `run` throws QueueFullError at once instead of waiting.
 */
export function createFairQueue({ concurrency, maxWaiting, maxPerClient }: FairQueueLimits) {
  let running = 0
  const waiting: (() => void)[] = []
  const places = new Map<string, number>()

  const release = (client: string) => {
    const held = (places.get(client) ?? 1) - 1
    if (held === 0) places.delete(client)
    else places.set(client, held)
  }

  return async function run<T>(client: string, task: () => Promise<T>): Promise<T> {
    const held = places.get(client) ?? 0
    const mustWait = running >= concurrency
    if (held >= maxPerClient || (mustWait && waiting.length >= maxWaiting)) throw new QueueFullError()
    places.set(client, held + 1)
    try {
      // A finishing task hands its turn straight to the next waiting one, so `running` counts turns.
      if (mustWait) await new Promise<void>((resolve) => waiting.push(resolve))
      else running += 1
      try {
        return await task()
      } finally {
        const next = waiting.shift()
        if (next) next()
        else running -= 1
      }
    } finally {
      release(client)
    }
  }
}
