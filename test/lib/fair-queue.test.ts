import { describe, expect, it } from 'vitest'
import { createFairQueue, QueueFullError, type FairQueue } from '../../src/lib/fair-queue.js'

/**
 * A request to the queue whose task runs until the test ends it. Its state: 'waiting' for a turn,
 * 'running', 'refused' (QueueFullError), or after the test ended it 'done' or 'failed'.
 */
function request(queue: FairQueue, client: string) {
  let started = false
  let settled: 'done' | 'failed' | 'refused' | undefined
  let succeed!: () => void
  let fail!: (error: Error) => void
  const ended = new Promise<void>((resolve, reject) => ((succeed = resolve), (fail = reject)))
  queue.run(client, () => ((started = true), ended)).then(
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

/** A task that runs until the test lets it end, and says when it started. */
function heldTask(log: string[], name: string) {
  let finish!: () => void
  let fail!: (error: Error) => void
  const ended = new Promise<string>((resolve, reject) => {
    finish = () => resolve(name)
    fail = reject
  })
  return {
    task: () => {
      log.push(name)
      return ended
    },
    finish,
    fail,
  }
}

/** Lets every promise that can settle now settle (a handed-over turn takes a few ticks). */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('createFairQueue', () => {
  it("refuses one client's request past its cap at once while another client still gets a place, and gives places back as tasks end", async () => {
    // One running and three waiting: the global bounds alone would take four of A's tasks.
    const queue = createFairQueue({ concurrency: 1, maxWaiting: 3, maxPerClient: 2 }, 'test')
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

  it('runs `concurrency` tasks at once and the others in the order they came, a failing one included', async () => {
    const queue = createFairQueue({ concurrency: 2, maxWaiting: 10, maxPerClient: 10 }, 'test')
    const started: string[] = []
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((name) => heldTask(started, name))
    const results = tasks.map(({ task }, i) => queue.run(`client${i}`, task).catch(() => 'failed'))
    await settle()
    expect(started).toEqual(['a', 'b'])
    tasks[1]!.fail(new Error('a failing task gives its turn on'))
    await settle()
    expect(started).toEqual(['a', 'b', 'c'])
    tasks[0]!.finish()
    await settle()
    expect(started).toEqual(['a', 'b', 'c', 'd'])
    for (const { finish } of tasks) finish()
    expect(await Promise.all(results)).toEqual(['a', 'failed', 'c', 'd', 'e'])
  })

  it('refuses at once past concurrency + maxWaiting places in all, and takes one again once a task ends', async () => {
    const queue = createFairQueue({ concurrency: 1, maxWaiting: 2, maxPerClient: 10 }, 'test')
    const started: string[] = []
    const tasks = ['a', 'b', 'c', 'd'].map((name) => heldTask(started, name))
    const runs = tasks.slice(0, 3).map(({ task }, i) => queue.run(`client${i}`, task))
    await expect(queue.run('client3', tasks[3]!.task)).rejects.toBeInstanceOf(QueueFullError)
    tasks[0]!.finish()
    await settle()
    expect(started).toEqual(['a', 'b'])
    runs.push(queue.run('client3', tasks[3]!.task))
    await expect(queue.run('client4', async () => 'e')).rejects.toBeInstanceOf(QueueFullError)
    for (const { finish } of tasks) finish()
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd'])
    expect(started).toEqual(['a', 'b', 'c', 'd'])
  })

  it('counts a place from enter to leave, before its task asks for a turn, and takes turns in the order asked', async () => {
    const queue = createFairQueue({ concurrency: 1, maxWaiting: 1, maxPerClient: 10 }, 'test')
    const first = queue.enter('a')
    const second = queue.enter('b')
    // Two places held, no task running: the queue is full all the same.
    expect(() => queue.enter('c')).toThrow(QueueFullError)

    const started: string[] = []
    const [one, two] = ['second', 'first'].map((name) => heldTask(started, name))
    const secondRuns = second.inTurn(one!.task)
    const firstRuns = first.inTurn(two!.task)
    await settle()
    expect(started).toEqual(['second'])
    one!.finish()
    await settle()
    expect(started).toEqual(['second', 'first'])
    two!.finish()
    expect([await secondRuns, await firstRuns]).toEqual(['second', 'first'])

    first.leave()
    first.leave()
    const third = queue.enter('c')
    expect(() => queue.enter('d')).toThrow(QueueFullError)
    second.leave()
    third.leave()
    queue.enter('d').leave()
  })

  it('runs one task per place, and none after it is left', async () => {
    const queue = createFairQueue({ concurrency: 1, maxWaiting: 1, maxPerClient: 1 }, 'test')
    const place = queue.enter('a')
    expect(await place.inTurn(async () => 1)).toBe(1)
    await expect(place.inTurn(async () => 2)).rejects.toThrow('one task')
    place.leave()
    const left = queue.enter('a')
    left.leave()
    await expect(left.inTurn(async () => 3)).rejects.toThrow('one task')
  })
})
