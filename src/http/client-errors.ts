import { STATUS_CODES, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

// The statuses Node itself would answer with; any other parser error is a 400.
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
}

function clientErrorResponse(status: number, headers: Record<string, string>): string {
  const body = JSON.stringify({ detail: STATUS_CODES[status] })
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

/**
 * What Node's HTTP parser refuses (headers too large, bad framing, a request too slow to arrive)
 * never reaches the app: Node answers it with a bare status line. This answers it in the error
 * contract, with the headers every other response has, then closes the connection.
 */
export function answerClientErrors(server: Server, headers: Record<string, string>): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A request in flight whose response has begun can't be answered again (Node's own rule).
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      socket.write(clientErrorResponse(STATUS_BY_CODE[error.code ?? ''] ?? 400, headers))
    }
    socket.destroy()
  })
}
