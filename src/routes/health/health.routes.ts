import { createRoute, z } from '@hono/zod-openapi'
import { errorResponse, jsonResponse } from '../../lib/route-helpers.js'

const tags = ['operations']

const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health')

// Plain createRoute: these answer for the process and the database themselves, so they declare
// only what they can answer, not the transport errors of the API routes.
export const getHealth = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags,
  summary: 'Liveness: the process answers (touches nothing else)',
  responses: { 200: jsonResponse(HealthSchema, 'The process is up') },
})

export const getReadiness = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags,
  summary: 'Readiness: the database answers a query, so this instance can take traffic',
  responses: {
    200: jsonResponse(HealthSchema, 'Ready'),
    503: errorResponse('service_unavailable', 'The database cannot answer right now'),
  },
})
