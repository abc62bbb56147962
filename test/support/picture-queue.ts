import type { FairQueue, QueuePlace } from '../../src/lib/fair-queue.js'
import { createPictureQueue, type PictureQueueLimits } from '../../src/routes/pictures/pictures.queue.js'

export interface TurnEvent {
  client: string
  event: 'asked' | 'started' | 'ended'
  /** performance.now() */
  at: number
}

/**
 * The picture queue, with its places counted, every turn asked for, started and ended logged in
 * order, and its one turn for the test to hold.
 */
export class WatchedQueue implements FairQueue {
  held = 0
  readonly turns: TurnEvent[] = []
  readonly #queue: FairQueue

  constructor(limits: PictureQueueLimits) {
    this.#queue = createPictureQueue(limits)
  }

  enter(client: string): QueuePlace {
    const place = this.#queue.enter(client)
    this.held += 1
    let left = false
    const log = (event: TurnEvent['event']) => this.turns.push({ client, event, at: performance.now() })
    return {
      inTurn: (task) => {
        log('asked')
        return place.inTurn(async () => {
          log('started')
          try {
            return await task()
          } finally {
            log('ended')
          }
        })
      },
      leave: () => {
        if (!left) this.held -= 1
        left = true
        place.leave()
      },
    }
  }

  async run<T>(client: string, task: () => Promise<T>): Promise<T> {
    const place = this.enter(client)
    try {
      return await place.inTurn(task)
    } finally {
      place.leave()
    }
  }

  /** Resolves once uploads (and the test) hold `count` places. */
  async untilHeld(count: number): Promise<void> {
    while (this.held !== count) await new Promise((resolve) => setTimeout(resolve, 5))
  }

  /** Takes a place and its turn, as an upload being made would, until the returned function. */
  holdTurn(): () => Promise<void> {
    const place = this.enter('the test')
    let end!: () => void
    const ended = new Promise<void>((resolve) => (end = resolve))
    const turn = place.inTurn(() => ended)
    return async () => {
      end()
      await turn
      place.leave()
    }
  }
}
