import { describe, expect, it } from 'vitest'
import type { components } from '../../client/index.js'
import { SoftAuthenticator } from '../support/authenticator.js'
import { checkResponse } from '../support/contract.js'
import { useServerProcesses, type ServerProcess } from '../support/server-process.js'
import { signUpAt } from '../support/users.js'

// PostgreSQL only (see vitest.config.ts): two real server processes on one database, behind one
// public address as a load balancer would put them. The challenge of options one gave is in the
// database, so the other verifies the answer to them, and it works once across both.

const SITE = 'https://blog.example'

/** fetch against a real server, every response checked against the spec. */
async function call(server: ServerProcess, path: string, body?: unknown, token?: string): Promise<Response> {
  const request = new Request(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const response = await fetch(request.clone())
  await checkResponse(request, response)
  return response
}

describe('passkeys across two instances on one PostgreSQL database', () => {
  const servers = useServerProcesses('blog-passkeys-')

  it('verify on one instance the options the other gave, once', async () => {
    const [a, b] = await Promise.all([servers.start({ PUBLIC_URL: SITE }), servers.start({ PUBLIC_URL: SITE })])
    const token = await signUpAt(a.origin)
    const authenticator = new SoftAuthenticator(SITE)

    const creation = (await (await call(a, '/api/users/me/passkeys/options', undefined, token)).json()) as components['schemas']['PasskeyCreationOptions']
    const added = await call(b, '/api/users/me/passkeys', { name: 'Laptop', response: authenticator.create(creation) }, token)
    expect(added.status).toBe(201)

    const request = (await (await call(b, '/api/users/passkey-login/options')).json()) as components['schemas']['PasskeyRequestOptions']
    const response = authenticator.get(request)
    const signedIn = await call(a, '/api/users/passkey-login', { response })
    expect(signedIn.status).toBe(200)
    const { access_token: access } = (await signedIn.json()) as { access_token: string }
    const me = await fetch(`${b.origin}/api/users/me`, { headers: { Authorization: `Bearer ${access}` } })
    expect(me.status).toBe(200)

    const replayed = await call(b, '/api/users/passkey-login', { response })
    expect(replayed.status).toBe(400)
    expect(await replayed.json()).toEqual({ detail: 'Passkey verification failed' })
  })
})
