import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Lets a server close without cutting requests short. A connection with no request in flight
 * is closed at once, including one that has not sent a byte yet (which `server.close()` would
 * wait for, as Node counts it as a request about to start). A keep-alive connection busy at that
 * moment would stay open after its response and could carry new requests forever. So from
 * `close()` on, every response ends its connection: `Connection: close` where headers are still
 * to be sent, a plain end otherwise.
 */
export function gracefulCloser(server: Server): { close: () => Promise<void> } {
  let closing = false
  const connections = new Set<Socket>()
  const inFlight = new Map<ServerResponse, Socket>()

  const endConnectionAfter = (res: ServerResponse, socket: Socket) => {
    if (!res.headersSent) res.setHeader('Connection', 'close')
    else res.once('finish', () => socket.end())
  }

  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })

  server.on('request', (req, res) => {
    inFlight.set(res, req.socket)
    const settled = () => inFlight.delete(res)
    res.once('finish', settled).once('close', settled)
    if (closing) endConnectionAfter(res, req.socket)
  })

  return {
    close() {
      closing = true
      // A cluster worker listens through the primary, so it can be told to stop before it
      // listens; a server that never listened has nothing to close.
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(error) : resolve())),
      )
      const busy = new Set(inFlight.values())
      for (const socket of connections) if (!busy.has(socket)) socket.destroy()
      for (const [res, socket] of inFlight) endConnectionAfter(res, socket)
      return closed
    },
  }
}
