import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Lets a server close without cutting requests short. `server.close()` stops listening and
 * closes idle connections, but a keep-alive connection busy at that moment would stay open after
 * its response and could carry new requests forever. So from `close()` on, every response ends
 * its connection: `Connection: close` where headers are still to be sent, a plain end otherwise.
 */
export function gracefulCloser(server: Server): { close: () => Promise<void> } {
  let closing = false
  const inFlight = new Map<ServerResponse, Socket>()

  const endConnectionAfter = (res: ServerResponse, socket: Socket) => {
    if (!res.headersSent) res.setHeader('Connection', 'close')
    else res.once('finish', () => socket.end())
  }

  server.on('request', (req, res) => {
    inFlight.set(res, req.socket)
    res.once('close', () => inFlight.delete(res))
    if (closing) endConnectionAfter(res, req.socket)
  })

  return {
    close() {
      closing = true
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      for (const [res, socket] of inFlight) endConnectionAfter(res, socket)
      return closed
    },
  }
}
