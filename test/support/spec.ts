import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { craftedPng } from './images.js'
import { SPEC_PATH } from '../../openapi/paths.js'

/**
 * The committed contract, read once, and its operations: the one place in the tests that knows
 * where the spec lives and how an operation in it is shaped. The contract checker, the
 * spec-driven suites and the spec's own tests all walk the operations listed here.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The spec's path, relative to the project root. */

export interface SchemaObject {
  $ref?: string
  type?: string | string[]
  format?: string
  properties?: Record<string, SchemaObject>
  maxLength?: number
  example?: Record<string, unknown>
}

export interface ResponseObject {
  content?: Record<string, { schema: unknown }>
  headers?: Record<string, { required?: boolean }>
}

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema: SchemaObject & { example?: unknown }
}

type SecurityRequirement = Record<string, string[]>

interface OperationObject {
  operationId: string
  summary?: string
  tags?: string[]
  security?: SecurityRequirement[]
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, { schema: SchemaObject }> }
  responses: Record<string, ResponseObject>
}

export interface SpecDocument {
  openapi: string
  paths: Record<string, Record<string, OperationObject>>
  components: {
    schemas: Record<string, SchemaObject>
    securitySchemes: Record<string, unknown>
  }
}

export const spec = JSON.parse(readFileSync(join(ROOT, SPEC_PATH), 'utf8')) as SpecDocument

/** One operation of the spec. */
export interface Operation {
  /** `PATCH /api/posts/{post_id}` */
  name: string
  /** Upper case, as a Request spells it. */
  method: string
  /** The path as the spec writes it, `/api/posts/{post_id}`. */
  template: string
  operationId: string
  summary?: string
  tags: string[]
  security: SecurityRequirement[]
  /** Whether the operation asks for a token. */
  secured: boolean
  /** The request body's (first) media type and its schema, a `$ref` resolved. */
  body?: { mediaType: string; schema: SchemaObject }
  responses: Record<string, ResponseObject>
  params: Parameter[]
}

/** The schema itself when it is a `$ref` to components.schemas. */
export function resolveSchema(schema: SchemaObject): SchemaObject {
  return schema.$ref ? spec.components.schemas[schema.$ref.split('/').pop()!]! : schema
}

/** Every operation, in the spec's order. */
export const operations: Operation[] = Object.entries(spec.paths).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, op]): Operation => {
    const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? []
    return {
      name: `${method.toUpperCase()} ${template}`,
      method: method.toUpperCase(),
      template,
      operationId: op.operationId,
      summary: op.summary,
      tags: op.tags ?? [],
      security: op.security ?? [],
      secured: Boolean(op.security?.length),
      ...(mediaType && media && { body: { mediaType, schema: resolveSchema(media.schema) } }),
      responses: op.responses,
      params: op.parameters ?? [],
    }
  }),
)

export function operationNamed(operationId: string): Operation {
  const operation = operations.find((op) => op.operationId === operationId)
  if (!operation) throw new Error(`no operation ${operationId} in ${SPEC_PATH}`)
  return operation
}

/**
 * The name of the operation's id, an integer path parameter, if it has one. (A picture's name is
 * a path parameter too, but not an id.)
 */
export const idParamOf = (op: Operation): string | undefined =>
  op.params.find((param) => param.in === 'path' && param.schema.type === 'integer')?.name

/**
 * The operation's path with every integer id set to the given id, and any other parameter (a
 * UUID) to the spec's example, which is valid and names nothing.
 */
export function pathWith(op: Operation, id: string): string {
  return op.template.replace(/{([^}]+)}/g, (_, name: string) => {
    const param = op.params.find((candidate) => candidate.name === name)!
    return param.schema.type === 'integer' ? id : String(param.schema.example)
  })
}

/** The operation's path with id 1 for an id and the spec's example for any other parameter. */
const examplePath = (op: Operation): string => pathWith(op, '1')

export const isMultipart = (op: Operation) => op.body?.mediaType === 'multipart/form-data'

/**
 * The spec's example body of the operation, encoded as its media type says. A form's file parts
 * have no example in the spec: each gets a small PNG, made here.
 */
export function encodeExample(op: Operation): string | FormData | undefined {
  if (!op.body) return undefined
  const { mediaType, schema } = op.body
  if (mediaType === 'application/json') return JSON.stringify(schema.example)
  if (mediaType === 'multipart/form-data') {
    const form = new FormData()
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property.format === 'binary') form.append(name, new Blob([new Uint8Array(craftedPng(1, 1))], { type: 'image/png' }), `${name}.png`)
      else form.append(name, String(schema.example?.[name]))
    }
    return form
  }
  return new URLSearchParams(schema.example as Record<string, string>).toString()
}

/**
 * The headers that go with a body of the operation: its Content-Type, but for a multipart form,
 * whose Content-Type (with the boundary) comes from the FormData itself.
 */
export const contentTypeOf = (op: Operation): Record<string, string> =>
  op.body && !isMultipart(op) ? { 'Content-Type': op.body.mediaType } : {}

/** A request the operation accepts: its example path and body, and the token if it asks for one. */
export function exampleRequest(op: Operation, token: string): [string, RequestInit] {
  return [
    examplePath(op),
    {
      method: op.method,
      headers: {
        ...(op.secured && { Authorization: `Bearer ${token}` }),
        ...contentTypeOf(op),
      },
      body: encodeExample(op),
    },
  ]
}

/**
 * The operations that answer with the API's errors: the API under /api and the pictures it serves
 * under /media (not the health checks).
 */
export const apiOperations = operations.filter((op) => /^\/(api|media)\//.test(op.template))
