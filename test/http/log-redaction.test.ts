import { describe, expect, it } from 'vitest'
import { createLog } from '../../src/http/logger.js'

// Each kind of secret, where a log entry might carry it: at the top, or in an object one level in.
const SECRETS: Record<string, Record<string, unknown>> = {
  'an authorization header': { headers: { authorization: 'Bearer eyJhbGciOi.secret-jwt' } },
  'an authorization field': { authorization: 'Basic c2VjcmV0OnNlY3JldA==' },
  'a cookie header': { headers: { cookie: 'refresh_token=secret-cookie-value' } },
  'a set-cookie header': { headers: { 'set-cookie': 'refresh_token=secret-set-cookie' } },
  'a password': { password: 'secret-password-1' },
  'a password in a body': { body: { password: 'secret-password-2' } },
  'a current password': { body: { current_password: 'secret-current-password' } },
  'a new password': { new_password: 'secret-new-password' },
  'a password hash': { user: { password_hash: '$argon2id$v=19$secret-hash' } },
  'an access token': { access_token: 'secret-access-token' },
  'a refresh token': { body: { refresh_token: 'secret-refresh-token' } },
  'a reset token': { reset_token: 'secret-reset-token' },
  'a verification token': { verification_token: 'secret-verification-token' },
  'a token in a body': { body: { token: 'secret-link-token' } },
  'an mfa token': { mfa_token: 'secret-mfa-token' },
  'a one-time code': { body: { mfa_otp: '123987' } },
  'a recovery code': { mfa_recovery_code: 'secret-recovery-code' },
  "a mail's text": { to: 'alice@example.com', subject: 'Reset your password', text: 'https://x/reset-password#token=secret-in-text' },
  "a mail's HTML": { mail: { html: '<a href="https://x/verify-email#token=secret-in-html">' } },
}

const leaves = (value: unknown): string[] =>
  value !== null && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [String(value)]

describe('the log redacts', () => {
  it.each(Object.entries(SECRETS))('%s', (_, entry) => {
    const lines: string[] = []
    const log = createLog('info', { write: (line: string) => void lines.push(line) })
    log.info(entry, 'carrying a secret')
    expect(lines).toHaveLength(1)
    for (const secret of leaves(entry).filter((value) => /secret|123987/.test(value))) expect(lines[0]).not.toContain(secret)
    expect(lines[0]).toContain('"[Redacted]"')
    // What is not secret stays.
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'carrying a secret' })
  })

  it('nothing else: a request line keeps every field', () => {
    const lines: string[] = []
    const log = createLog('info', { write: (line: string) => void lines.push(line) })
    const line = { request_id: 'abc', client: '127.0.0.1', method: 'GET', path: '/api/posts', status: 200, duration_ms: 1.5 }
    log.info(line)
    expect(JSON.parse(lines[0]!)).toEqual({ level: 'info', time: expect.any(String), ...line })
  })
})
