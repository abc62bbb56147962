import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { Layout, renderPage } from './layout.js'

const MESSAGES: Partial<Record<ContentfulStatusCode, string>> = {
  404: 'Page not found',
  500: 'Something went wrong',
}

export function renderErrorPage(c: Context, status: ContentfulStatusCode) {
  const message = MESSAGES[status] ?? 'Something went wrong'
  return renderPage(
    c,
    <Layout title={message} page="error">
      <div class="text-center py-5">
        <p class="display-1 fw-bold text-body-secondary">{status}</p>
        <h1 class="h3 mb-4">{message}</h1>
        <a class="btn btn-primary" href="/">
          Back to the latest posts
        </a>
      </div>
    </Layout>,
    status,
  )
}
