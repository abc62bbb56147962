import { readFileSync } from 'node:fs'
import { Agent, request, type IncomingMessage } from 'node:http'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBody, startHeldRequest, waitUntilRefused } from '../support/in-flight.js'
import { connectionOwner, isAlive, serverChildren } from '../support/processes.js'
import { freePort, logEntries, untilListening, useServerProcesses, waitForLogEntry, type ServerProcess } from '../support/server-process.js'
import { newUser, signUpAt } from '../support/users.js'

const CLUSTER = { WEB_CONCURRENCY: '2' }
const CONNECTIONS = 8
const WRITERS = 20
const POSTS_PER_WRITER = 10

interface Served {
  status: number
  body: string
  /** The worker whose process holds the server's end of the connection. */
  worker: number | undefined
}

/** One request through `agent`, answered with the worker that served it. */
function send(server: ServerProcess, workers: number[], agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}${path}`, { method, agent, headers }, (response: IncomingMessage) => {
      const worker = connectionOwner(workers, server.port, response.socket.localPort!)
      readBody(response).then((text) => resolve({ status: response.statusCode ?? 0, body: text, worker }), reject)
    })
    req.once('error', reject).end(body)
  })
}

/** `CONNECTIONS` requests at once, each on a keep-alive connection of its own. */
async function spread(server: ServerProcess, workers: number[], path: string, headers: Record<string, string> = {}): Promise<Served[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  try {
    return await Promise.all(Array.from({ length: CONNECTIONS }, () => send(server, workers, agent, 'GET', path, headers)))
  } finally {
    agent.destroy()
  }
}

function primaryListening(server: ServerProcess) {
  return logEntries(server).filter((entry) => String(entry.msg).startsWith(`Listening on ${server.origin}: open `))
}

describe('WEB_CONCURRENCY: worker processes on one port', () => {
  const servers = useServerProcesses('blog-cluster-')

  it('writes a first .env once, in the primary; both of 2 workers serve, and parallel writes through both all land', async () => {
    const server = servers.spawn({ cwd: servers.dir, secretKey: undefined, port: await freePort(), env: CLUSTER })
    await untilListening(server)
    expect(server.output().match(/Created \.env/g)).toHaveLength(1)
    expect(readFileSync(join(servers.dir, '.env'), 'utf8').match(/^SECRET_KEY=[0-9a-f]{64}$/gm)).toHaveLength(1)

    const workers = serverChildren(server.child.pid!)
    expect(workers).toHaveLength(2)
    expect(primaryListening(server)).toEqual([expect.objectContaining({ workers: 2 })])
    const reads = await spread(server, workers, '/api/posts')
    expect(reads.map(({ status }) => status)).toEqual(Array(CONNECTIONS).fill(200))
    expect(new Set(reads.map(({ worker }) => worker))).toEqual(new Set(workers))

    // One token, accepted by both workers: they read the same key.
    const token = await signUpAt(server.origin)
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }
    const agent = new Agent({ keepAlive: true, maxSockets: WRITERS })
    const written = new Map<number, string>()
    const writtenBy = new Set<number | undefined>()
    const writer = async (writerId: number) => {
      for (let n = 0; n < POSTS_PER_WRITER; n += 1) {
        const title = `writer ${writerId} post ${n}`
        const body = JSON.stringify({ title, content: `content of ${title}` })
        const answer = await send(server, workers, agent, 'POST', '/api/posts', headers, body)
        expect(answer.status, answer.body).toBe(201)
        written.set((JSON.parse(answer.body) as { id: number }).id, title)
        writtenBy.add(answer.worker)
      }
    }
    try {
      await Promise.all(Array.from({ length: WRITERS }, (_, writerId) => writer(writerId)))
    } finally {
      agent.destroy()
    }
    expect(written.size).toBe(WRITERS * POSTS_PER_WRITER)
    expect(writtenBy).toEqual(new Set(workers))

    const listed = new Map<number, string>()
    for (let skip = 0; skip < written.size; skip += 100) {
      const page = (await (await fetch(`${server.origin}/api/posts?limit=100&skip=${skip}`)).json()) as {
        total: number
        posts: Array<{ id: number; title: string }>
      }
      expect(page.total).toBe(written.size)
      for (const post of page.posts) listed.set(post.id, post.title)
    }
    expect(listed).toEqual(written)
  })

  it('logs a worker killed with SIGKILL as an error, replaces it and keeps answering', async () => {
    const server = await servers.start(CLUSTER)
    const [victim, survivor] = serverChildren(server.child.pid!)
    process.kill(victim!, 'SIGKILL')

    const died = await waitForLogEntry(server, (entry) => entry.level === 'error' && entry.pid === victim)
    expect(died).toMatchObject({ msg: 'Worker exited unexpectedly; starting another', worker: expect.any(Number), code: null, signal: 'SIGKILL' })
    const started = await waitForLogEntry(server, (entry) => String(entry.msg).startsWith(`Worker listening on ${server.origin}: open `) && entry.pid !== victim && entry.pid !== survivor)
    expect(started.worker).not.toBe(died.worker)
    const workers = serverChildren(server.child.pid!)
    expect(workers.sort()).toEqual([survivor, started.pid].sort())

    const answers = await spread(server, workers, '/healthz')
    expect(answers.map(({ status }) => status)).toEqual(Array(CONNECTIONS).fill(200))
    expect(new Set(answers.map(({ worker }) => worker))).toEqual(new Set(workers))
    expect(primaryListening(server)).toHaveLength(1)
  })

  it('on SIGTERM finishes the request in flight in its worker, stops every worker and exits 0', async () => {
    const server = await servers.start(CLUSTER)
    const workers = serverChildren(server.child.pid!)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const user = newUser()
    const held = await startHeldRequest(server.origin, agent, JSON.stringify(user))
    const busy = connectionOwner(workers, server.port, held.socket.localPort!)
    expect(workers).toContain(busy)

    server.child.kill('SIGTERM')
    await waitUntilRefused(server.port)
    expect(server.child.exitCode, 'the primary must wait for the request in flight').toBeNull()
    expect(isAlive(busy!), 'so must its worker').toBe(true)

    held.sendBody()
    const response = await held.response
    expect(response.statusCode).toBe(201)
    expect(response.headers.connection).toBe('close')
    expect(JSON.parse(await readBody(response))).toMatchObject({ username: user.username, email: user.email })

    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(workers.filter(isAlive)).toEqual([])
    expect(logEntries(server).filter((entry) => entry.level !== 'info')).toEqual([])
    agent.destroy()
  })

  it('starts one worker per core with auto, and on Ctrl+C (SIGINT to every process at once) stops them all cleanly', async () => {
    const server = await servers.start({ WEB_CONCURRENCY: 'auto' })
    expect(primaryListening(server)).toEqual([expect.objectContaining({ workers: availableParallelism() })])
    const workers = serverChildren(server.child.pid!)
    expect(workers).toHaveLength(availableParallelism())

    for (const pid of [server.child.pid!, ...workers]) process.kill(pid, 'SIGINT')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(workers.filter(isAlive)).toEqual([])
    expect(logEntries(server).filter((entry) => entry.level !== 'info')).toEqual([])
  })

  it('stops with one line naming WEB_CONCURRENCY when its value is bad', async () => {
    const server = servers.spawn({ port: await freePort(), env: { WEB_CONCURRENCY: 'many' } })
    expect(await server.exited).toEqual({ code: 1, signal: null })
    expect(server.output()).toBe('Invalid configuration: WEB_CONCURRENCY must be a positive integer or "auto"\n')
  })

  it('stops the others and exits 1 when a worker dies before it listened (the port is taken)', async () => {
    const taken = createServer()
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
    )
    try {
      const server = servers.spawn({ port, env: CLUSTER })
      expect(await server.exited).toEqual({ code: 1, signal: null })
      const errors = logEntries(server).filter((entry) => entry.level === 'error')
      expect(errors).toEqual([expect.objectContaining({ msg: 'Worker exited before it listened; stopping the service', code: 1 })])
      expect(server.output()).toContain(`Cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`)
      expect(primaryListening(server)).toEqual([])
    } finally {
      taken.close()
    }
  })
})
