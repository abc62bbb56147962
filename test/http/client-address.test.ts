import { describe, expect, it } from 'vitest'
import { hopAddress } from '../../src/http/client-address.js'

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
