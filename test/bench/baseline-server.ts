/**
 * The best this stack can do for a read: a bare Hono route on @hono/node-server that answers
 * with a constant JSON body (the service's own posts page, read from BODY_FILE), serialised per
 * request as any JSON route is. No validation, database or middleware.
 *
 * Usage: BODY_FILE=<page.json> PORT=<port> node --import tsx test/bench/baseline-server.ts
 */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const { BODY_FILE, PORT } = process.env
if (!BODY_FILE || !PORT) throw new Error('BODY_FILE and PORT are required')

const body: unknown = JSON.parse(readFileSync(BODY_FILE, 'utf8'))
const app = new Hono()
app.get('/api/posts', (c) => c.json(body))

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(PORT) })
