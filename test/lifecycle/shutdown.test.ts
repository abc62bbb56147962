import { Agent } from 'node:http'
import { describe, expect, it } from 'vitest'
import { User } from '../../src/db/entities/index.js'
import { initORM } from '../../src/db/orm.js'
import { get, readBody, startHeldRequest, waitUntilRefused } from '../support/in-flight.js'
import { openRawConnection } from '../support/raw-http.js'
import { useServerProcesses } from '../support/server-process.js'

describe('graceful shutdown on SIGTERM', () => {
  const servers = useServerProcesses('blog-shutdown-')

  it('finishes the request in flight, refuses new connections, closes idle ones and exits 0', async () => {
    const server = await servers.start()
    const { origin, port } = server

    // A keep-alive connection left idle must not keep the server from stopping.
    const idleAgent = new Agent({ keepAlive: true })
    const idle = await get(origin, idleAgent)
    expect(idle.statusCode).toBe(200)
    const idleSocketClosed = new Promise<void>((resolve) => idle.socket.once('close', () => resolve()))
    await readBody(idle)

    // The request in flight is on a keep-alive connection too, which could otherwise carry
    // more requests after the shutdown began.
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 })
    const user = { username: 'in-flight', email: 'in-flight@example.com', password: 'in-flight-password' }
    const held = await startHeldRequest(origin, busyAgent, JSON.stringify(user))

    server.child.kill('SIGTERM')
    await waitUntilRefused(port)
    await idleSocketClosed
    expect(server.child.exitCode, 'the server must wait for the request in flight').toBeNull()

    held.sendBody()
    const response = await held.response
    expect(response.statusCode).toBe(201)
    expect(response.headers.connection).toBe('close')
    expect(JSON.parse(await readBody(response))).toMatchObject({ username: user.username, email: user.email })
    await expect(get(origin, busyAgent)).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    expect(await server.exited).toEqual({ code: 0, signal: null })
    idleAgent.destroy()
    busyAgent.destroy()

    const orm = await initORM(servers.databaseUrl)
    try {
      expect(await orm.em.fork().count(User, { email: user.email })).toBe(1)
    } finally {
      await orm.close()
    }
  })

  it('closes connections that never sent a byte or sit idle at once, and exits 0 within a second', async () => {
    const server = await servers.start()
    const silent = await openRawConnection(server.port)
    // Answered on a later connection (left idle in fetch's pool), so the server has accepted
    // the silent one before it.
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200)

    const signalled = performance.now()
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(performance.now() - signalled).toBeLessThan(1_000)
    expect(await silent.closed).toBe('')
  })

  it('gives up on a request still in flight after its grace period and exits 1', async () => {
    const server = await servers.start()
    const agent = new Agent()
    const held = await startHeldRequest(server.origin, agent, JSON.stringify({ never: 'sent' }))
    const cutOff = held.response.catch((error: unknown) => error)

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 1, signal: null })
    expect(server.output()).toContain('Requests still in flight after')
    expect(await cutOff).toMatchObject({ code: 'ECONNRESET' })
    agent.destroy()
  })
})
