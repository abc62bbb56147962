import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { BlockList, isIP } from 'node:net'

export type ClientAddress = (c: Context) => string

// In-process requests (tests) have no socket; they all share this address.
const NO_SOCKET = 'unknown'

// An IPv4 peer on a dual-stack socket reads as ::ffff:a.b.c.d; counts and logs use a.b.c.d.
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')

/** The eight 16-bit groups of an IPv6 address, its zone id (`%eth0`) dropped; undefined for anything else. */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/s, '')
  if (isIP(bare) !== 6) return undefined
  // An IPv4 tail (::ffff:198.51.100.7) is two groups written another way.
  const hex = bare.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  )
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)))
  const [head = '', tail] = hex.split('::')
  if (tail === undefined) return parse(head)
  const left = parse(head)
  const right = parse(tail)
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/** An IPv6 address in its one canonical text (RFC 5952): lower case, the longest run of zero groups as `::`. */
function formatIPv6(groups: readonly number[]): string {
  let zeros = { start: 0, length: 1 }
  for (let start = 0; start < groups.length; ) {
    let end = start
    while (groups[end] === 0) end += 1
    if (end - start > zeros.length) zeros = { start, length: end - start }
    start = end + 1
  }
  const text = groups.map((group) => group.toString(16))
  if (zeros.length < 2) return text.join(':')
  return `${text.slice(0, zeros.start).join(':')}::${text.slice(zeros.start + zeros.length).join(':')}`
}

/**
 * What the limits and the hashing queue count a client by: an IPv4 address itself, and an IPv6
 * address by its /64 (`2001:db8:1:2::/64`), however it is written. A /64 is what one host, one
 * home or one phone is usually given, and any address in it is theirs to send from, so counting
 * IPv6 per address would give one client as many counts as it cares to use addresses. An
 * IPv4-mapped IPv6 address (`::ffff:198.51.100.7`) is the IPv4 client. Anything else (`unknown`,
 * for a request with no socket) is its own key. Only counting uses this; logs show the address.
 */
export function clientKey(address: string): string {
  if (isIP(address) === 4) return address
  const groups = ipv6Groups(address)
  if (groups === undefined) return address
  const [a, b, c, d, e, f, g, h] = groups as [number, number, number, number, number, number, number, number]
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) return `${g >> 8}.${g & 255}.${h >> 8}.${h & 255}`
  return `${formatIPv6([a, b, c, d, 0, 0, 0, 0])}/64`
}

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
