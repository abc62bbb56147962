import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TSX_LOADER } from './server-process.js'

const RELAY = fileURLToPath(new URL('./netns-relay.ts', import.meta.url))

export interface NetnsResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface RequestInit {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
}

export interface Netns {
  /** Its name, for `ip netns exec` (spawnServer's `netns`). */
  name: string
  /** An HTTP request to host:port inside the namespace, over a connection made from `from` there. */
  requestFrom(from: string, host: string, port: number, init: RequestInit): Promise<NetnsResponse>
  /** Stops the relay and deletes the namespace; whatever else the test started in it must be gone. */
  close(): Promise<void>
}

export interface NetnsOptions {
  /** Unique on the machine (several test runs may share it). */
  name: string
  /** A folder of the test's own, for the relay's sockets. */
  dir: string
  /** IPv6 prefixes whose every address is local inside, any of which a socket may bind. */
  localPrefixes: readonly string[]
  /** Servers outside that processes inside reach at the same port of their 127.0.0.1 (PostgreSQL). */
  forwards?: readonly { host: string; port: number }[]
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })

/**
 * A network namespace of the test's own (the tests run as root): loopback up, the prefixes routed
 * to it as local, and non-local binds allowed, so a client inside may send from any address of a
 * whole /64 without adding each one. Inside runs a relay (netns-relay.ts) through which the test,
 * outside, opens those connections, and through which processes inside reach `forwards`.
 */
export async function createNetns({ name, dir, localPrefixes, forwards = [] }: NetnsOptions): Promise<Netns> {
  ip('netns', 'add', name)
  let relay: ChildProcess | undefined
  const forwarders: Server[] = []
  const close = async () => {
    if (relay && relay.exitCode === null && relay.signalCode === null) {
      const exited = new Promise((resolve) => relay!.once('exit', resolve))
      relay.kill('SIGKILL')
      await exited
    }
    await Promise.all(forwarders.map((server) => new Promise((resolve) => server.close(resolve))))
    ip('netns', 'delete', name)
  }
  try {
    ip('-n', name, 'link', 'set', 'lo', 'up')
    execFileSync('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.ip_nonlocal_bind=1'])
    for (const prefix of localPrefixes) ip('-n', name, '-6', 'route', 'add', 'local', prefix, 'dev', 'lo')

    const relayPath = join(dir, 'relay.sock')
    const forwarded = forwards.map(({ host, port }) => {
      const path = join(dir, `out-${port}.sock`)
      const server = createServer((inside) => {
        const outside = connect(port, host)
        inside.pipe(outside).pipe(inside)
        inside.on('error', () => outside.destroy())
        outside.on('error', () => inside.destroy())
      })
      forwarders.push(server)
      return new Promise<string>((resolve) => server.listen(path, () => resolve(`${port}=${path}`)))
    })
    const args = ['netns', 'exec', name, process.execPath, '--import', TSX_LOADER, RELAY, relayPath, ...(await Promise.all(forwarded))]
    const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'inherit'] })
    relay = child
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve())
      child.once('exit', (code) => reject(new Error(`the relay in ${name} exited with ${code}`)))
    })

    const requestFrom = (from: string, host: string, port: number, init: RequestInit) =>
      new Promise<NetnsResponse>((resolve, reject) => {
        const outgoing = request(
          {
            method: init.method,
            path: init.path,
            headers: { Host: `${host.includes(':') ? `[${host}]` : host}:${port}`, Connection: 'close', ...init.headers },
            createConnection: () => {
              const socket = connect(relayPath)
              socket.write(`${JSON.stringify({ host, port, localAddress: from })}\n`)
              return socket
            },
          },
          (response) => {
            let body = ''
            response.setEncoding('utf8')
            response.on('data', (chunk: string) => (body += chunk))
            response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
            response.on('error', reject)
          },
        )
        outgoing.on('error', reject)
        outgoing.end(init.body)
      })
    return { name, requestFrom, close }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}
