import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'
import { connect } from 'node:net'

const REFUSAL_ATTEMPTS = 200

export function get(origin: string, agent: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(`${origin}/api/posts`, { agent }, resolve).once('error', reject).end())
}

export function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    response.once('end', () => resolve(body)).once('error', reject)
  })
}

/**
 * Resolves to true when a new TCP connection to the port is refused, false when accepted or reset
 * (a connection still in the backlog of a listener that is closing is reset: the next one tells).
 */
function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(true)
      else if (error.code === 'ECONNRESET') resolve(false)
      else reject(error)
    })
  })
}

export async function waitUntilRefused(port: number): Promise<void> {
  for (let attempt = 0; attempt < REFUSAL_ATTEMPTS; attempt += 1) {
    if (await isRefused(port)) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`port ${port} still accepted connections after ${REFUSAL_ATTEMPTS} attempts`)
}

/**
 * Starts a registration whose headers the server has read (it answered `100 Continue`, so the
 * request is in its handler) but whose body is still to come: a request that is surely in
 * flight, for as long as the test wants.
 */
export async function startHeldRequest(origin: string, agent: Agent, body: string) {
  const held: ClientRequest = request(`${origin}/api/users`, {
    method: 'POST',
    agent,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Expect: '100-continue',
    },
  })
  const response = new Promise<IncomingMessage>((resolve, reject) => held.once('response', resolve).once('error', reject))
  await new Promise<void>((resolve, reject) => held.once('continue', resolve).once('error', reject))
  return { response, sendBody: () => held.end(body), socket: held.socket! }
}
