import type { LoadOptions } from './load.js'
import type { ScenarioKey } from './measurement.js'
import type { Seeded } from './seed.js'
import { SETTINGS } from './settings.js'
import type { HttpScenario } from './wrk.js'

export interface Scenario {
  key: ScenarioKey
  name: string
  http: HttpScenario
}

/** The reads the goals hold to the baseline and to two workers (every read but the deep page). */
export const GOAL_READS: ScenarioKey[] = ['posts', 'postById', 'userById', 'userPosts', 'me']

/** The reads whose cost at the large size is held to their cost at the small one. */
export const SIZE_GOAL_READS: ScenarioKey[] = ['posts', 'userPosts', 'postById', 'me']

/** `count` ids spread evenly from `first` to `last`. */
function spread(first: number, last: number, count: number): number[] {
  const n = Math.min(count, last - first + 1)
  return Array.from({ length: n }, (_, i) => first + Math.floor((i * (last - first + 1)) / n))
}

const get = (paths: string[], headers: Record<string, string> = {}): HttpScenario => ({
  method: 'GET',
  paths,
  headers,
  connections: SETTINGS.connections,
})

/** The closed-loop reads, for a database seeded as `seeded` says, as the user `token` belongs to. */
export function readScenarios(seeded: Seeded, token: string): Scenario[] {
  const deepSkip = seeded.posts / 2
  const postIds = spread(seeded.postIds.first, seeded.postIds.last, SETTINGS.rotatedPosts)
  const userIds = spread(1, seeded.users, seeded.users)
  return [
    { key: 'posts', name: 'GET /api/posts', http: get(['/api/posts']) },
    {
      key: 'deepPage',
      name: `GET /api/posts?skip=${deepSkip}, ${SETTINGS.deepPageConnections} clients`,
      http: { ...get([`/api/posts?skip=${deepSkip}`]), connections: SETTINGS.deepPageConnections },
    },
    { key: 'postById', name: `GET /api/posts/{id}, ${postIds.length} ids in turn`, http: get(postIds.map((id) => `/api/posts/${id}`)) },
    { key: 'userById', name: `GET /api/users/{id}, ${userIds.length} ids in turn`, http: get(userIds.map((id) => `/api/users/${id}`)) },
    { key: 'userPosts', name: `GET /api/users/${seeded.userId}/posts`, http: get([`/api/users/${seeded.userId}/posts`]) },
    { key: 'me', name: 'GET /api/users/me', http: get(['/api/users/me'], { authorization: `Bearer ${token}` }) },
  ]
}

export function createPostScenario(token: string): Scenario {
  return {
    key: 'createPost',
    name: 'POST /api/posts',
    http: {
      method: 'POST',
      paths: ['/api/posts'],
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'A benchmark post', content: 'Written by npm run bench. '.repeat(12) }),
      connections: SETTINGS.connections,
    },
  }
}

export function loginScenario(email: string): Scenario {
  return {
    key: 'login',
    name: 'POST /api/users/token',
    http: {
      method: 'POST',
      paths: ['/api/users/token'],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: email, password: SETTINGS.password }).toString(),
      connections: SETTINGS.loginConcurrency,
    },
  }
}

/** The paced reader beside the login storm: autocannon, which can hold a steady rate. */
export function stormProbe(origin: string): LoadOptions {
  const { connections, requestsPerSecond } = SETTINGS.stormProbe
  return { url: `${origin}/api/posts`, connections, overallRate: requestsPerSecond }
}
