import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './schema.js'

export type { components, paths }
export type ApiClient = Client<paths>
export type UserPublic = components['schemas']['UserPublic']
export type UserPrivate = components['schemas']['UserPrivate']
export type PostResponse = components['schemas']['PostResponse']
export type PostPage = components['schemas']['PostPage']

export interface ApiClientOptions {
  baseUrl: string
  /** The bearer token to send, if any. */
  getToken?: () => string | null | undefined
  /** Called when the API rejects the token that was sent (a 401 with a token attached). */
  onUnauthorized?: () => void
  /** Another fetch, e.g. an in-process app in tests. */
  fetch?: (request: Request) => Promise<Response>
}

/** The typed client for this API: every path, body and response comes from the spec. */
export function createApiClient({ baseUrl, getToken, onUnauthorized, fetch }: ApiClientOptions): ApiClient {
  const client = createClient<paths>({ baseUrl, ...(fetch && { fetch }) })
  client.use({
    onRequest({ request }) {
      const token = getToken?.()
      if (token && !request.headers.has('Authorization')) {
        request.headers.set('Authorization', `Bearer ${token}`)
      }
      return request
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) onUnauthorized?.()
      return response
    },
  })
  return client
}

type ValidationIssue = components['schemas']['ValidationError']

/** Any error body of this API (`{"detail": string}` or the 422 list) as one readable line. */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  const detail = (error as { detail?: unknown } | null | undefined)?.detail
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) {
    return (detail as ValidationIssue[])
      .map((issue) => {
        const field = issue.loc.filter((part) => part !== 'body').join('.')
        return field ? `${field}: ${issue.msg}` : issue.msg
      })
      .join('; ')
  }
  return fallback
}

/**
 * The bodySerializer of a multipart/form-data operation (a picture upload): openapi-fetch sends a
 * FormData as it is, and the browser sets its Content-Type with the boundary.
 */
export function formData(body: Record<string, string | Blob>): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(body)) form.append(name, value)
  return form
}
