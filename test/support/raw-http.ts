import { connect, type Socket } from 'node:net'
import { expect } from 'vitest'
import { securityHeaderValues } from '../../src/http/security-headers.js'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Parses the one HTTP/1.1 response a server wrote on a connection. */
export function parseRawResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  if (end === -1) throw new Error(`not an HTTP response: ${JSON.stringify(raw)}`)
  const [statusLine = '', ...fields] = raw.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const field of fields) {
    const colon = field.indexOf(':')
    headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(end + 4) }
}

export interface RawConnection {
  socket: Socket
  /** What the server has written so far. */
  received: () => string
  /** Everything the server wrote, once the connection is closed. */
  closed: Promise<string>
}

/** A plain TCP connection to the server, to send what no HTTP client would. */
export function openRawConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    let received = ''
    const closed = new Promise<string>((done) => socket.once('close', () => done(received)))
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk))
    socket.once('connect', () => {
      // The server may reset a connection it has answered; what it wrote is what counts.
      socket.off('error', reject).on('error', () => {})
      resolve({ socket, received: () => received, closed })
    })
    socket.once('error', reject)
  })
}

/** Sends `payload` on a fresh connection and resolves to the response once the server closes it. */
export async function sendRaw(port: number, payload: string): Promise<RawResponse> {
  const connection = await openRawConnection(port)
  connection.socket.write(payload)
  return parseRawResponse(await connection.closed)
}

/** A response in the error contract that ends its connection, with every security header. */
export async function expectErrorContract(response: RawResponse, status: number, detail: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers['content-type']).toBe('application/json')
  expect(response.headers.connection).toBe('close')
  expect(JSON.parse(response.body)).toEqual({ detail })
  expect(response.headers).toMatchObject(await securityHeaderValues())
}
