import type { HttpBindings } from '@hono/node-server'
import type { MiddlewareHandler } from 'hono'
import type { Socket } from 'node:net'

// Long enough for a client to read the response that went out before the connection's end.
const LINGER_MS = 5_000

/**
 * A response that is ready before its request's body has all arrived (a 413 on the declared
 * length, a 401 ahead of an upload) ends the connection with `Connection: close`: the rest of
 * the body stands between it and any next request, and @hono/node-server would give up reading
 * it after half a second and close a connection the client had been told it could keep.
 */
export const closeAfterUnreadBody: MiddlewareHandler = async (c, next) => {
  await next()
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming
  if (!incoming || incoming.complete) return
  c.header('Connection', 'close')
  // Nobody reads the rest any more (a reader that stopped at the limit included): discard it.
  incoming.removeAllListeners('data')
  incoming.resume()
  lingerOnClose(incoming.socket)
}

/**
 * Node ends a `Connection: close` response's socket with destroySoon(), which closes it as soon
 * as the response is written. A client still uploading then gets a reset, which can wipe out the
 * response before the client reads it (RFC 9112, section 9.6). Instead, stop sending and keep
 * reading (and discarding) for a while, so the client sees the response and then the end.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref()
    socket.once('close', () => clearTimeout(timer))
  }
}
