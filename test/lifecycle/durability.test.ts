import { describe, expect, it } from 'vitest'
import { useServerProcesses } from '../support/server-process.js'
import { signUpAt } from '../support/users.js'

const WRITERS = 4
const POSTS_PER_WRITER = 100
const KILL_AFTER_ACKNOWLEDGED = 40

describe('durability', () => {
  const servers = useServerProcesses('blog-durability-')

  it('keeps every acknowledged post when the process is killed with SIGKILL mid-stream', async () => {
    const server = await servers.start()
    const { origin, child } = server
    const token = await signUpAt(origin, { username: 'writer', email: 'writer@example.com', password: 'writer-password' })

    const acknowledged = new Map<number, string>()
    let failed = 0
    const writer = async (writerId: number) => {
      for (let n = 0; n < POSTS_PER_WRITER; n += 1) {
        const title = `writer ${writerId} post ${n}`
        let response: Response
        try {
          response = await fetch(`${origin}/api/posts`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ title, content: `content of ${title}` }),
          })
        } catch {
          failed += 1
          return
        }
        expect(response.status).toBe(201)
        acknowledged.set(((await response.json()) as { id: number }).id, title)
        if (acknowledged.size === KILL_AFTER_ACKNOWLEDGED) child.kill('SIGKILL')
      }
    }
    await Promise.all(Array.from({ length: WRITERS }, (_, writerId) => writer(writerId)))
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' })
    // The kill came mid-stream: the requests that followed it failed.
    expect(failed).toBeGreaterThan(0)
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED)

    const restarted = await servers.start()
    for (const [id, title] of acknowledged) {
      const response = await fetch(`${restarted.origin}/api/posts/${id}`)
      expect(response.status, `acknowledged post ${id} (${title})`).toBe(200)
      expect(((await response.json()) as { title: string }).title).toBe(title)
    }
  })
})
