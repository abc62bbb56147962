import { randomUUID } from 'node:crypto'

// A session's id is a random UUID: it names the session in access tokens and in the sessions
// routes' paths, and tells nothing about how many sessions or accounts there are.
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export const newSessionId = (): string => randomUUID()

export const isSessionId = (value: string): boolean => SESSION_ID.test(value)
