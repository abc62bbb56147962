import { describe, expect, it } from 'vitest'
import { clientKey, hopAddress } from '../../src/http/client-address.js'

describe('hopAddress', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['198.51.100.7:51234', '198.51.100.7'],
    ['198.51.100.7:0', '198.51.100.7'],
    ['2001:db8::7', '2001:db8::7'],
    ['[2001:db8::7]', '2001:db8::7'],
    ['[2001:db8::7]:443', '2001:db8::7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['[::ffff:198.51.100.7]:80', '198.51.100.7'],
  ])('reads %s as %s', (hop, address) => {
    expect(hopAddress(hop)).toBe(address)
  })

  it.each([
    ['an obfuscated identifier', 'unknown'],
    ['a name', 'proxy.example.com'],
    ['a name with a port', 'proxy.example.com:80'],
    ['an empty hop', ''],
    ['a port past 65535', '198.51.100.7:65536'],
    ['an IPv6 port past 65535', '[2001:db8::7]:99999'],
    ['IPv4 in brackets', '[198.51.100.7]:80'],
    ['IPv6 with a port but no brackets', '2001:db8::7]:80'],
    ['a port with no address', ':80'],
    ['an address of five parts', '1.2.3.4.5'],
  ])('refuses %s', (_, hop) => {
    expect(hopAddress(hop)).toBeUndefined()
  })
})

describe('clientKey', () => {
  it.each([
    ['an IPv4 address', '198.51.100.7', '198.51.100.7'],
    ['another address of the same IPv4 /24', '198.51.100.8', '198.51.100.8'],
    ['IPv4 loopback', '127.0.0.1', '127.0.0.1'],
    ['an IPv4-mapped IPv6 address', '::ffff:198.51.100.7', '198.51.100.7'],
    ['an IPv4-mapped address in hex', '::ffff:c633:6407', '198.51.100.7'],
    ['an IPv4-mapped address written out', '0:0:0:0:0:FFFF:198.51.100.7', '198.51.100.7'],
    ['the next /64', '2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['zero groups inside the prefix', '2001:0:0:5::1', '2001:0:0:5::/64'],
    ['a prefix ending in zeros', '2001:db8::1', '2001:db8::/64'],
    ['loopback', '::1', '::/64'],
    ['the unspecified address', '::', '::/64'],
    ['a link-local address with its zone id', 'fe80::1%eth0', 'fe80::/64'],
    ['the same link-local address on another link', 'fe80::1%2', 'fe80::/64'],
    ['a prefix with no zero group', 'fd12:3456:789a:1::5', 'fd12:3456:789a:1::/64'],
    ['only the /96 of an IPv4-mapped address', '::fffe:c633:6407', '::/64'],
  ])('keys %s (%s) as %s', (_, address, key) => {
    expect(clientKey(address)).toBe(key)
  })

  it('keys every form of every address of one IPv6 /64 by the same canonical /64', () => {
    const forms = [
      '2001:db8:1:2::1',
      '2001:db8:1:2::ffff',
      '2001:db8:1:2:aaaa:bbbb:cccc:dddd',
      '2001:0db8:0001:0002:0000:0000:0000:0001',
      '2001:DB8:1:2:AAAA::1',
      '2001:db8:1:2:0:0:0:0',
      '2001:db8:1:2::',
      '2001:db8:1:2:ffff::9%eth0',
      '2001:db8:1:2::1.2.3.4',
    ]
    expect(new Set(forms.map(clientKey))).toEqual(new Set(['2001:db8:1:2::/64']))
  })

  it("tells apart different /64s and different IPv4 addresses", () => {
    const keys = ['2001:db8:1:2::1', '2001:db8:1:3::1', '2001:db8:2:2::1', '2001:db9:1:2::1', '198.51.100.7', '198.51.100.8'].map(clientKey)
    expect(new Set(keys).size).toBe(6)
  })

  it("keys 'unknown' (a request with no socket), and anything else that is no address, by itself", () => {
    expect(clientKey('unknown')).toBe('unknown')
    expect(clientKey('not an address')).toBe('not an address')
    expect(clientKey('2001:db8::1::2')).toBe('2001:db8::1::2')
  })
})
