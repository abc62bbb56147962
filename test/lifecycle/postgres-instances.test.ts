import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { createApiClient, type ApiClient } from '../../client/index.js'
import { postgresqlMigrations } from '../../src/db/migrations/postgresql/index.js'
import { checkResponse } from '../support/contract.js'
import { useServerProcesses, type ServerProcess } from '../support/server-process.js'
import { newUser } from '../support/users.js'

// PostgreSQL only (see vitest.config.ts): several real server processes on one database.

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' } as const

/** The typed client against a real server, every response checked against the spec. */
function clientOf(server: ServerProcess, token?: string): ApiClient {
  return createApiClient({
    baseUrl: server.origin,
    getToken: () => token,
    fetch: async (request) => {
      const response = await fetch(request.clone())
      await checkResponse(request, response)
      return response
    },
  })
}

async function logIn(server: ServerProcess, email: string, password: string) {
  return clientOf(server).POST('/api/users/token', { body: { username: email, password }, headers: FORM })
}

async function tokenFrom(server: ServerProcess, email: string, password: string): Promise<string> {
  const { data, response } = await logIn(server, email, password)
  expect(response.status).toBe(200)
  return data!.access_token
}

async function query<T>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query(sql)).rows as T[]
  } finally {
    await client.end()
  }
}

describe('several instances on one PostgreSQL database', () => {
  const servers = useServerProcesses('blog-instances-')

  it('three started together on an empty database all come up, with the schema made once', async () => {
    const started = await Promise.all([servers.start(), servers.start(), servers.start()])
    for (const server of started) {
      const ready = await fetch(`${server.origin}/readyz`)
      expect(ready.status).toBe(200)
    }
    const applied = await query<{ name: string }>(servers.databaseUrl, 'select name from mikro_orm_migrations order by id')
    expect(applied.map((row) => row.name)).toEqual(postgresqlMigrations.map((migration) => migration.name))
  })

  it('two behave as one service: accounts, tokens, posts, uniqueness, password changes, deletion and login limits', async () => {
    // Every request comes from 127.0.0.1: the per-address limits on registrations and hashing
    // places would otherwise decide the race below instead of the database.
    const settings = { LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '3', REGISTER_MAX_PER_CLIENT: '100', HASHING_QUEUE_MAX_PER_CLIENT: '32' }
    const [a, b] = await Promise.all([servers.start(settings), servers.start(settings)])
    const user = newUser()

    // Registered on A, logs in on B; A's token works on B.
    expect((await clientOf(a).POST('/api/users', { body: user })).response.status).toBe(201)
    const tokenFromA = await tokenFrom(a, user.email, user.password)
    const tokenFromB = await tokenFrom(b, user.email, user.password)
    const me = await clientOf(b, tokenFromA).GET('/api/users/me')
    expect(me.data?.email).toBe(user.email)

    // A post written on A is read and listed on B.
    const created = await clientOf(a, tokenFromA).POST('/api/posts', { body: { title: 'Written on A', content: 'Read on B' } })
    const postId = created.data!.id
    const read = await clientOf(b).GET('/api/posts/{post_id}', { params: { path: { post_id: postId } } })
    expect(read.data).toEqual(created.data)
    const listed = await clientOf(b).GET('/api/posts')
    expect(listed.data?.posts.map((post) => post.id)).toContain(postId)

    // 20 simultaneous registrations of one email, split across A and B: exactly one account.
    const racer = newUser()
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        clientOf(i % 2 === 0 ? a : b).POST('/api/users', { body: { ...racer, username: `${racer.username}_${i}` } }),
      ),
    )
    const statuses = answers.map(({ response }) => response.status).sort()
    expect(statuses).toEqual([201, ...Array<number>(19).fill(400)])
    for (const { response, error } of answers) if (response.status === 400) expect(error).toEqual({ detail: 'Email already exists' })

    // Failed logins on A count on B.
    for (let i = 0; i < 3; i += 1) expect((await logIn(a, racer.email, 'wrong password!')).response.status).toBe(401)
    const limited = await logIn(b, racer.email, racer.password)
    expect(limited.response.status).toBe(429)
    expect(Number(limited.response.headers.get('Retry-After'))).toBeGreaterThan(0)

    // A password change on B ends the tokens issued before it, on A too.
    const changed = await clientOf(b, tokenFromB).PATCH('/api/users/me/password', {
      body: { current_password: user.password, new_password: `${user.password}-new` },
    })
    expect(changed.response.status).toBe(204)
    const stale = await clientOf(a, tokenFromA).GET('/api/users/me')
    expect(stale.response.status).toBe(401)
    expect(stale.error).toEqual({ detail: 'Invalid or expired token' })

    // A user deleted on B is 401 on A.
    const fresh = await tokenFrom(a, user.email, `${user.password}-new`)
    const deleted = await clientOf(b, fresh).DELETE('/api/users/{user_id}', { params: { path: { user_id: me.data!.id } } })
    expect(deleted.response.status).toBe(204)
    const gone = await clientOf(a, fresh).GET('/api/users/me')
    expect(gone.response.status).toBe(401)
    expect(gone.error).toEqual({ detail: 'User not found' })
  })
})
