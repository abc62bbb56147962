import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import { parseId } from '../rules/ids.js'
import { AccountPage } from './account.js'
import { ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage, VerifyEmailPage } from './auth.js'
import { renderErrorPage } from './error-page.js'
import { renderPage } from './layout.js'
import { HomePage, NewPostPage, PostPage, UserPostsPage } from './posts.js'
import { mountStatic } from './static.js'

export { renderErrorPage }

// A page URL whose id could not be one is a page that does not exist.
function withId(c: Context, value: string, page: (id: number) => Child) {
  const id = parseId(value)
  return id === undefined ? renderErrorPage(c, 404) : renderPage(c, page(id))
}

/**
 * The site: static files and one HTML shell per page. The data comes from the API, fetched by
 * the page's browser module (web/), so a page never touches the database.
 */
export function mountPages(app: Hono<any>): void {
  mountStatic(app)
  app.get('/', (c) => renderPage(c, <HomePage />))
  app.get('/posts', (c) => renderPage(c, <HomePage />))
  app.get('/posts/new', (c) => renderPage(c, <NewPostPage />))
  app.get('/posts/:post_id', (c) => withId(c, c.req.param('post_id'), (id) => <PostPage postId={id} />))
  app.get('/users/:user_id/posts', (c) => withId(c, c.req.param('user_id'), (id) => <UserPostsPage userId={id} />))
  app.get('/login', (c) => renderPage(c, <LoginPage />))
  app.get('/register', (c) => renderPage(c, <RegisterPage />))
  app.get('/forgot-password', (c) => renderPage(c, <ForgotPasswordPage />))
  app.get('/reset-password', (c) => renderPage(c, <ResetPasswordPage />))
  app.get('/verify-email', (c) => renderPage(c, <VerifyEmailPage />))
  app.get('/account', (c) => renderPage(c, <AccountPage />))
}
