import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { inject } from 'vitest'
import { operations, spec, type Operation } from './spec.js'

/**
 * Checks responses against the committed openapi/openapi.json with an independent JSON Schema
 * validator (ajv, draft 2020-12), and records which (operation, status) pairs were seen so the
 * global teardown can report the pairs no test exercised.
 */

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(spec, 'openapi')

interface Route {
  pattern: RegExp
  params: number
  operation: Operation
}

const routes: Route[] = operations
  .map((operation) => ({
    params: (operation.template.match(/{/g) ?? []).length,
    pattern: new RegExp(`^${operation.template.replace(/{[^}]+}/g, '[^/]+')}$`),
    operation,
  }))
  // A literal segment wins over a parameter: /api/users/me before /api/users/{user_id}.
  .sort((a, b) => a.params - b.params)

export function findOperation(method: string, path: string): Route | undefined {
  return routes.find((route) => route.operation.method === method && route.pattern.test(path))
}

/** Every (operationId, status) pair the spec declares. */
export function declaredPairs(): string[] {
  return routes.flatMap((route) =>
    Object.keys(route.operation.responses).map((status) => `${route.operation.operationId} ${status}`),
  )
}

const validators = new Map<string, ReturnType<typeof ajv.compile>>()

function validatorFor(route: Route, status: string, mediaType: string) {
  const { template, method } = route.operation
  const pointer = ['paths', template, method.toLowerCase(), 'responses', status, 'content', mediaType, 'schema']
    .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')
  let validate = validators.get(pointer)
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#/${pointer}` })
    validators.set(pointer, validate)
  }
  return validate
}

export class ContractViolation extends Error {
  override name = 'ContractViolation'
}

/** Throws a ContractViolation when the response does not match the spec for its operation. */
export async function checkResponse(request: Request, response: Response): Promise<void> {
  const url = new URL(request.url)
  const route = findOperation(request.method, url.pathname)
  if (!route) return
  const where = `${request.method} ${url.pathname} (${route.operation.operationId}) → ${response.status}`
  const status = String(response.status)
  const declared = route.operation.responses[status]
  if (!declared) throw new ContractViolation(`${where}: status not declared in the spec`)
  record(route.operation.operationId, status)

  for (const [header, spec] of Object.entries(declared.headers ?? {})) {
    if (spec.required && !response.headers.has(header)) throw new ContractViolation(`${where}: missing required header ${header}`)
  }
  const body = await response.clone().text()
  if (!declared.content) {
    if (body !== '') throw new ContractViolation(`${where}: the spec declares no body, got ${body.slice(0, 200)}`)
    return
  }
  const contentType = response.headers.get('content-type') ?? ''
  const mediaType = Object.keys(declared.content).find((type) => contentType.startsWith(type))
  if (!mediaType) {
    throw new ContractViolation(`${where}: content type "${contentType}" is not one the spec declares`)
  }
  // An image (a picture's bytes) has no JSON Schema to meet: its declared type, and some bytes.
  if (!/[/+]json$/.test(mediaType)) {
    if (body === '') throw new ContractViolation(`${where}: the spec declares a ${mediaType} body, got none`)
    return
  }
  const validate = validatorFor(route, status, mediaType)
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new ContractViolation(`${where}: body is not JSON: ${body.slice(0, 200)}`)
  }
  if (!validate(json)) {
    throw new ContractViolation(`${where}: ${ajv.errorsText(validate.errors)}\n${body.slice(0, 500)}`)
  }
}

function record(operationId: string, status: string): void {
  const file = join(inject('contractRecordsDir'), `${process.pid}.jsonl`)
  appendFileSync(file, `${JSON.stringify({ operationId, status })}\n`)
}

/** A fetch that sends to the app in-process and checks every response against the spec. */
export function contractFetch(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  return async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(new URL(input, 'http://app'), init)
    const response = await app.fetch(request.clone())
    await checkResponse(request, response)
    return response
  }
}
