import { expect, it } from 'vitest'
import { createFairQueue, QueueFullError } from '../../src/lib/fair-queue.js'

type Queue = ReturnType<typeof createFairQueue>

/**
 * A request to the queue whose task runs until the test ends it. Its state: 'waiting' for a turn,
 * 'running', 'refused' (QueueFullError), or after the test ended it 'done' or 'failed'.
 */
function request(queue: Queue, client: string) {
  let started = false
  let settled: 'done' | 'failed' | 'refused' | undefined
  let succeed!: () => void
  let fail!: (error: Error) => void
  const ended = new Promise<void>((resolve, reject) => ((succeed = resolve), (fail = reject)))
  queue(client, () => ((started = true), ended)).then(
    () => (settled = 'done'),
    (error: unknown) => (settled = error instanceof QueueFullError ? 'refused' : 'failed'),
  )
  return {
    get state() {
      return settled ?? (started ? 'running' : 'waiting')
    },
    succeed,
    fail,
  }
}

type Request = ReturnType<typeof request>

/**
 * The states once every promise callback that can run now has run. No timer: setImmediate's
 * callback comes after them all, and every task stays as it is until the test ends it.
 */
async function statesOf(...requests: Request[]) {
  await new Promise((resolve) => setImmediate(resolve))
  return requests.map((r) => r.state)
}

const A = '198.51.100.7'
const B = '203.0.113.9'

it("refuses one client's request past its cap at once while another client still gets a place, and gives places back as tasks end", async () => {
  // One running and three waiting: the global bounds alone would take four of A's tasks.
  const queue = createFairQueue({ concurrency: 1, maxWaiting: 3, maxPerClient: 2 })
  const [a1, a2, a3, b1] = [request(queue, A), request(queue, A), request(queue, A), request(queue, B)]
  // A's third is refused while every task is still held: nothing had to end for the answer.
  expect(await statesOf(a1, a2, a3, b1)).toEqual(['running', 'waiting', 'refused', 'waiting'])

  // A task that fails gives its place back too: A may queue one more, but not two.
  a1.fail(new Error('wrong password'))
  expect(await statesOf(a1, a2, b1)).toEqual(['failed', 'running', 'waiting'])
  const [a4, a5] = [request(queue, A), request(queue, A)]
  expect(await statesOf(a4, a5)).toEqual(['waiting', 'refused'])

  a2.succeed()
  expect(await statesOf(a2, b1, a4)).toEqual(['done', 'running', 'waiting'])
  b1.succeed()
  expect(await statesOf(b1, a4)).toEqual(['done', 'running'])
  a4.succeed()
  expect(await statesOf(a4)).toEqual(['done'])

  // Every place is back: A holds its full cap again, and no more.
  const [a6, a7, a8] = [request(queue, A), request(queue, A), request(queue, A)]
  expect(await statesOf(a6, a7, a8)).toEqual(['running', 'waiting', 'refused'])
  a6.succeed()
  a7.succeed()
  expect(await statesOf(a6, a7)).toEqual(['done', 'done'])
})
