import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/index.js'

const SECRET = 'a-secret-key-for-config-tests-0123456789'

describe('connection timeouts', () => {
  it('default to 10 s for the headers and 120 s for the whole request', () => {
    const config = loadConfig({ env: { SECRET_KEY: SECRET }, envFile: null })
    expect(config).toMatchObject({ headersTimeoutSeconds: 10, requestTimeoutSeconds: 120 })
  })

  it('refuse a headers timeout longer than the request timeout, naming both', () => {
    const env = { SECRET_KEY: SECRET, HEADERS_TIMEOUT_SECONDS: '30', REQUEST_TIMEOUT_SECONDS: '20' }
    expect(() => loadConfig({ env, envFile: null })).toThrow(
      new ConfigError('Invalid configuration: HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS'),
    )
  })

  it('refuse a timeout that is not a positive number of seconds', () => {
    expect(() => loadConfig({ env: { SECRET_KEY: SECRET, REQUEST_TIMEOUT_SECONDS: '0' }, envFile: null })).toThrow(
      /REQUEST_TIMEOUT_SECONDS must be a positive integer/,
    )
  })
})
