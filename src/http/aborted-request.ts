import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'

/**
 * True when the connection closed before the whole request had arrived: the client gave up
 * mid-upload, or was cut off for sending too slowly. Nobody is left to answer, and it is not an
 * error of the service.
 */
export function isAbortedRequest(c: Context): boolean {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming
  return incoming !== undefined && !incoming.complete && incoming.destroyed
}
