import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { BlockList, isIP } from 'node:net'

export type ClientAddress = (c: Context) => string

// In-process requests (tests) have no socket; they all share this address.
const NO_SOCKET = 'unknown'

// An IPv4 peer on a dual-stack socket reads as ::ffff:a.b.c.d; counts and logs use a.b.c.d.
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')

/**
 * The address in one X-Forwarded-For hop, as proxies write it: a bare address, `IPv4:port`,
 * `[IPv6]` or `[IPv6]:port`. Undefined for anything else (an obfuscated `unknown`, a name).
 */
export function hopAddress(hop: string): string | undefined {
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(hop)
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(hop)
  const [, address = hop, port = '0'] = bracketed ?? withPort ?? []
  const family = bracketed ? 6 : withPort ? 4 : isIP(address)
  if (family === 0 || isIP(address) !== family || Number(port) > 65535) return undefined
  return unmapped(address)
}

function toBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/')
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(unmapped(address), type)
    else list.addSubnet(unmapped(address), Number(bits), type)
  }
  return list
}

/**
 * The client's address: the connection's peer, unless that peer is one of the trusted proxies.
 * Then X-Forwarded-For is read from its end, skipping the trusted proxies each hop appended, and
 * the first address they did not vouch for is the client (a hop may carry a port, as some proxies
 * write it; a hop that is no address ends the walk). Anything a client writes itself into
 * the header sits further left and is never reached, so nobody can choose their own address.
 */
export function createClientAddress(trustedProxies: readonly string[]): ClientAddress {
  const trusted = toBlockList(trustedProxies)
  const isTrusted = (address: string) => {
    const family = isIP(address)
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4')
  }
  return (c) => {
    let peer: string
    try {
      peer = unmapped(getConnInfo(c).remote.address ?? NO_SOCKET)
    } catch {
      return NO_SOCKET
    }
    if (trustedProxies.length === 0 || !isTrusted(peer)) return peer
    const hops = (c.req.header('X-Forwarded-For') ?? '').split(',').map((hop) => hopAddress(hop.trim()))
    let client = peer
    for (const hop of hops.reverse()) {
      if (hop === undefined) break
      client = hop
      if (!isTrusted(hop)) break
    }
    return client
  }
}
