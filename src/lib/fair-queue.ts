import { queueFull, queueHeld, queueWait, queueWaiting } from '../metrics/registry.js'

export interface FairQueueLimits {
  /** Tasks running at once. */
  concurrency: number
  /** Places held beyond the running tasks, from every client together: tasks waiting for a turn. */
  maxWaiting: number
  /** Places (running or waiting) one client may hold at once. */
  maxPerClient: number
}

/** The queue had no place for the task: the caller should answer at once that it is busy. */
export class QueueFullError extends Error {
  override name = 'QueueFullError'
}

/**
 * A place in the queue, held from `enter` until `leave`: it counts against the bounds the whole
 * time, also before its task asks for a turn (while an upload's body arrives, say).
 */
export interface QueuePlace {
  /** Waits for a turn and runs the task in it; one task per place. */
  inTurn<T>(task: () => Promise<T>): Promise<T>
  /** Gives the place back; a second call does nothing. Not while its task is running. */
  leave(): void
}

export interface FairQueue {
  /** Takes a place, runs the task in its turn, and gives the place back. */
  run<T>(client: string, task: () => Promise<T>): Promise<T>
  /** Takes a place for work that starts before its turn; throws QueueFullError if there is none. */
  enter(client: string): QueuePlace
}

/**
 * Runs at most `concurrency` tasks at once and queues the rest in order. The queue is bounded
 * and fair: one client holds at most `maxPerClient` places and at most `concurrency + maxWaiting`
 * places are held in all, so a flood from one client can delay anyone else's task by a few tasks
 * at most. Past either bound, taking a place throws QueueFullError at once instead of waiting.
 * Its places, waits and refusals are counted in the metrics under `name`.
 */
export function createFairQueue({ concurrency, maxWaiting, maxPerClient }: FairQueueLimits, name: string): FairQueue {
  const metrics = { held: queueHeld.labels(name), waiting: queueWaiting.labels(name), wait: queueWait.labels(name), full: queueFull.labels(name) }
  let running = 0
  let held = 0
  const waiting: (() => void)[] = []
  const places = new Map<string, number>()

  const release = (client: string) => {
    held -= 1
    metrics.held.dec()
    const mine = (places.get(client) ?? 1) - 1
    if (mine === 0) places.delete(client)
    else places.set(client, mine)
  }

  async function inTurn<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its turn straight to the next waiting one, so `running` counts turns.
    if (running >= concurrency) {
      const asked = performance.now()
      metrics.waiting.inc()
      await new Promise<void>((resolve) => waiting.push(resolve))
      metrics.waiting.dec()
      metrics.wait.observe((performance.now() - asked) / 1000)
    } else {
      running += 1
      metrics.wait.observe(0)
    }
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running -= 1
    }
  }

  function enter(client: string): QueuePlace {
    const mine = places.get(client) ?? 0
    if (mine >= maxPerClient || held >= concurrency + maxWaiting) {
      metrics.full.inc()
      throw new QueueFullError()
    }
    places.set(client, mine + 1)
    held += 1
    metrics.held.inc()
    let turns = 0
    let left = false
    return {
      inTurn(task) {
        if (left || turns > 0) return Promise.reject(new Error('A queue place runs one task, before it is left'))
        turns += 1
        return inTurn(task)
      },
      leave() {
        if (left) return
        left = true
        release(client)
      },
    }
  }

  return {
    enter,
    async run(client, task) {
      const place = enter(client)
      try {
        return await place.inTurn(task)
      } finally {
        place.leave()
      }
    },
  }
}
