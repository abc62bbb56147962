import type { LoadOptions } from './load.js'
import { SETTINGS } from './settings.js'

/** The autocannon options of each HTTP scenario, against a service at `origin`. */
export function scenarioLoads(origin: string, { token, email, postIds }: { token: string; email: string; postIds: number[] }) {
  const get = (path: string, headers: Record<string, string> = {}): LoadOptions => ({
    url: `${origin}${path}`,
    connections: SETTINGS.connections,
    headers,
  })
  let next = 0
  const postById: LoadOptions = {
    ...get('/api/posts/1'),
    requests: [{ setupRequest: (request) => ({ ...request, path: `/api/posts/${postIds[next++ % postIds.length]}` }) }],
  }
  return {
    posts: get('/api/posts'),
    postsSkip500: get('/api/posts?skip=500'),
    postById,
    me: get('/api/users/me', { authorization: `Bearer ${token}` }),
    createPost: {
      url: `${origin}/api/posts`,
      connections: SETTINGS.connections,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'A benchmark post', content: 'Written by npm run bench. '.repeat(12) }),
    },
    login: {
      url: `${origin}/api/users/token`,
      connections: SETTINGS.loginConcurrency,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: email, password: SETTINGS.password }).toString(),
    },
  } satisfies Record<string, LoadOptions>
}
