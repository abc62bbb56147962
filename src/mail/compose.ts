import { html } from 'hono/html'
import type { Mail } from './transport.js'

export interface MailParts {
  to: string
  subject: string
  /** Greeted by name in the first line. */
  username: string
  /** Paragraphs before the link. */
  before: string[]
  /** The link, shown in the HTML part under `label` (its own address by default). */
  link: { href: string; label?: string }
  /** Paragraphs after the link. */
  after?: string[]
}

/**
 * A mail of a greeting, paragraphs and one link, as plain text and as HTML with every value
 * escaped (a username may hold `<`).
 */
export async function composeMail({ to, subject, username, before, link, after = [] }: MailParts): Promise<Mail> {
  const greeting = `Hello ${username},`
  const text = [greeting, ...before, link.href, ...after].join('\n\n')
  const paragraph = (content: string) => html`<p>${content}</p>\n`
  const body = await html`${[greeting, ...before].map(paragraph)}<p><a href="${link.href}">${link.label ?? link.href}</a></p>${after.map((content) => html`\n<p>${content}</p>`)}`
  return { to, subject, text, html: String(body) }
}
