import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { requireUser } from '../auth/current-user.js'
import { BODY_LIMIT_DESCRIPTION } from '../http/body-limit.js'
import { HTTPErrorSchema, HTTPValidationErrorSchema } from '../http/error-schemas.js'
import { ERRORS, type ErrorCode, type ErrorEntry } from '../http/errors.js'
import { SECURITY_SCHEME } from '../http/openapi.js'
import { requireVerifiedEmail } from './verified-email.js'

export const noStoreHeader = {
  'Cache-Control': { required: true, schema: { type: 'string' }, description: 'no-store: holds a credential or private data' },
} as const

const retryAfterHeader = {
  'Retry-After': { required: true, schema: { type: 'integer' }, description: 'Seconds to wait before trying again' },
} as const

const bearerChallengeHeader = {
  'WWW-Authenticate': { required: true, schema: { type: 'string' }, description: 'Bearer' },
} as const

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const
}

/**
 * The response a route declares for an error code (src/http/errors.ts): the table's message as
 * the example a client will read, and the headers that code is answered with. `description`
 * says what else the status covers, where one status answers several codes.
 */
export function errorResponse(code: ErrorCode, description: string = ERRORS[code].detail, detail: string = ERRORS[code].detail) {
  const entry: ErrorEntry = ERRORS[code]
  const headers = entry.challenge ? bearerChallengeHeader : entry.retryLater ? retryAfterHeader : undefined
  return {
    description,
    content: { 'application/json': { schema: HTTPErrorSchema, example: { detail } } },
    ...(headers && { headers }),
  }
}

/** A request body that is always validated, even when the request sends none. */
export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const
}

type Responses = RouteConfig['responses']

/** What any route that reaches the database can answer when something fails on the server's side. */
export const serverErrors = {
  500: errorResponse('internal'),
  503: errorResponse('service_unavailable', 'The database cannot answer right now'),
} as const

/** A route that hashes a password may find the hashing queue full (or the database down). */
export const hashingBusy = errorResponse(
  'hashing_busy',
  'Too many password checks are queued, or the database cannot answer right now',
)

function hasInput(route: RouteConfig): boolean {
  const { request } = route
  return Boolean(request && (request.params || request.query || request.body || request.headers))
}

/**
 * Declares the errors the transport layer can give any route, so the spec and the generated
 * client know every status: 422 for invalid input, 400/413/415 for bodies, 500 and 503 always.
 * A route with a body limit of its own (see limitRequestBodies) declares its own 413.
 */
function transportErrors(route: RouteConfig): Responses {
  const { responses } = route
  const body = route.request?.body
  const isJson = Boolean(body && 'application/json' in body.content)
  const badRequest = responses[400]
  return {
    ...(isJson && {
      400:
        badRequest && 'description' in badRequest
          ? { ...badRequest, description: `${badRequest.description}; or malformed JSON in request body` }
          : errorResponse('malformed_json'),
    }),
    ...(body && { 413: responses[413] ?? errorResponse('body_too_large', BODY_LIMIT_DESCRIPTION) }),
    ...(body && { 415: errorResponse('unsupported_media_type') }),
    ...(hasInput(route) && { 422: jsonResponse(HTTPValidationErrorSchema, 'Validation error') }),
    ...serverErrors,
    ...(responses[503] && { 503: responses[503] }),
  }
}

/** `createRoute` plus the transport errors every route can answer with. */
export function defineRoute<R extends RouteConfig>(route: R) {
  return createRoute({
    ...route,
    responses: { ...route.responses, ...transportErrors(route) },
  })
}

/**
 * A route that needs a signed-in user: adds the current-user middleware, the security
 * requirement and the 401 response together, so no protected route can miss one of them.
 * Middleware given after the route runs once the user is known, before the request is validated.
 */
export function authenticated<R extends RouteConfig, M extends MiddlewareHandler<any>[] = []>(route: R, ...after: M) {
  return defineRoute({
    ...route,
    security: [{ [SECURITY_SCHEME]: [] }],
    middleware: [requireUser, ...after] as const,
    responses: {
      ...route.responses,
      401: errorResponse('not_authenticated', 'Not authenticated, invalid or expired token, or user not found'),
    },
  })
}

const NOT_VERIFIED = 'Email not verified (while REQUIRE_VERIFIED_EMAIL is on)'

/**
 * An authenticated route that writes content: with REQUIRE_VERIFIED_EMAIL on, an account whose
 * email is not verified gets 403 `Email not verified` before anything else is checked. The 403 is
 * declared with the route's own 403, if it has one.
 */
export function authenticatedVerified<R extends RouteConfig, M extends MiddlewareHandler<any>[] = []>(route: R, ...after: M) {
  const forbidden = route.responses[403]
  const responses = {
    ...route.responses,
    403:
      forbidden && 'description' in forbidden
        ? { ...forbidden, description: `${forbidden.description}; or ${NOT_VERIFIED}` }
        : errorResponse('email_not_verified', NOT_VERIFIED),
  }
  return authenticated({ ...route, responses }, requireVerifiedEmail, ...after)
}
