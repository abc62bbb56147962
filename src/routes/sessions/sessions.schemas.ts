import { z } from '@hono/zod-openapi'
import type { Session } from '../../db/entities/index.js'
import { describeDevice } from './device.js'

const SESSION_ID_EXAMPLE = '4f6c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f'

export const SessionIdParams = z.object({
  session_id: z.uuid().max(36).openapi({ param: { name: 'session_id', in: 'path' }, example: SESSION_ID_EXAMPLE }),
})

export const SessionSchema = z
  .object({
    id: z.uuid().openapi({ example: SESSION_ID_EXAMPLE }),
    created_at: z.iso.datetime().openapi({ description: 'When the sign-in started it', example: '2026-12-01T09:00:00.000Z' }),
    last_used_at: z.iso.datetime().openapi({ description: 'Its last refresh or request, to within 5 minutes', example: '2026-12-07T08:15:00.000Z' }),
    expires_at: z.iso.datetime().openapi({ description: 'When it ends unless refreshed before', example: '2026-12-21T08:15:00.000Z' }),
    client_address: z.string().openapi({ description: 'The address it was last used from', example: '203.0.113.7' }),
    device: z.string().openapi({ description: 'From its User-Agent', example: 'Firefox 133 on Windows 10' }),
    current: z.boolean().openapi({ description: 'Whether this is the session of the token that asks' }),
  })
  .openapi('Session')

export const SessionListSchema = z.array(SessionSchema).openapi('SessionList')

export function toSessionResponse(session: Session, currentId: string): z.infer<typeof SessionSchema> {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    client_address: session.clientAddress,
    device: describeDevice(session.userAgent),
    current: session.id === currentId,
  }
}
