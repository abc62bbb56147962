import type { MiddlewareHandler } from 'hono'
import type { User } from '../../db/entities/index.js'
import { AppError } from '../../http/errors.js'
import { createFairQueue, QueueFullError, type FairQueue, type QueuePlace } from '../../lib/fair-queue.js'
import { CONCURRENT_PICTURES } from '../../lib/thread-budget.js'

export interface PictureQueueLimits {
  /** Uploads held beyond the one being made, from every user together: arriving or waiting. */
  maxWaiting: number
  /** Uploads (arriving, waiting or being made) one user may have at once. */
  maxPerUser: number
}

/** An upload's place in the picture queue, from before its body is read until its answer. */
export type PicturePlace = QueuePlace

/**
 * Where uploads take turns to be made into pictures, one at a time (the libuv thread budget),
 * keyed by user id: a bounded, fair queue in which a user holds at most `maxPerUser` places and
 * the process at most `maxWaiting` beyond the one being made.
 */
export function createPictureQueue({ maxWaiting, maxPerUser }: PictureQueueLimits): FairQueue {
  return createFairQueue({ concurrency: CONCURRENT_PICTURES, maxWaiting, maxPerClient: maxPerUser }, 'pictures')
}

interface PictureQueueEnv {
  Variables: { user: User; pictureQueue: FairQueue; picturePlace: PicturePlace }
}

/**
 * Takes the upload's place in the queue once the user is known and before the body is read:
 * past the queue's bounds the answer is a 503 at once (`pictures_busy`), and the body is never
 * read, so a flood of uploads costs neither memory nor anyone else's wait. The place is
 * `c.var.picturePlace`, the handler's to take its turn with, and is given back after the answer.
 */
export const takePicturePlace: MiddlewareHandler<PictureQueueEnv> = async (c, next) => {
  let place: PicturePlace
  try {
    place = c.var.pictureQueue.enter(String(c.var.user.id))
  } catch (error) {
    throw error instanceof QueueFullError ? new AppError('pictures_busy') : error
  }
  c.set('picturePlace', place)
  try {
    await next()
  } finally {
    place.leave()
  }
}
