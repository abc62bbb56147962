import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { httpDuration, httpRequests } from './registry.js'

/** The route label of a request that no route answered: any number of unknown paths make one series. */
const UNMATCHED = 'unmatched'

// Hono's `/api/posts/:post_id` as the spec writes it, `/api/posts/{post_id}`; one entry per route.
const templates = new Map<string, string>()
const template = (path: string) => {
  let found = templates.get(path)
  if (found === undefined) {
    found = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')
    templates.set(path, found)
  }
  return found
}

/**
 * The route that answered, as a registered pattern, never the raw path: the route handler the
 * request was meant for (also when a middleware before it answered, a 413 say); else the
 * wildcard middleware that served it (`/static/*`); else, for an unknown path, `unmatched`.
 */
function routeLabel(c: Context, status: number): string {
  const routes = matchedRoutes(c)
  for (let i = c.req.routeIndex; i < routes.length; i += 1) {
    const route = routes[i]!
    if (route.handler.length < 2 && !route.path.endsWith('*')) return template(route.path)
  }
  const answering = routes[c.req.routeIndex]
  return answering && status < 400 ? answering.path : UNMATCHED
}

// Each series' children, found once: prom-client would otherwise hash the labels on every request.
const series = new Map<string, { requests: { inc(): void }; duration: { observe(seconds: number): void } }>()
function seriesOf(method: string, route: string, status: number) {
  const key = `${method} ${route} ${status}`
  let found = series.get(key)
  if (!found) {
    found = { requests: httpRequests.labels(method, route, String(status)), duration: httpDuration.labels(method, route) }
    series.set(key, found)
  }
  return found
}

/** Counts every request and its duration by method, route template and status. */
export const countRequests: MiddlewareHandler = async (c, next) => {
  const started = performance.now()
  await next()
  const status = c.res.status
  const { requests, duration } = seriesOf(c.req.method, routeLabel(c, status), status)
  requests.inc()
  duration.observe((performance.now() - started) / 1000)
}
