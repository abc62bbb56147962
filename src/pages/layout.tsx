import type { Context } from 'hono'
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export interface LayoutProps {
  title: string
  /** Which browser module runs on this page (see web/pages/index.ts). */
  page: string
  /** Values the page's module reads from `document.body.dataset`. */
  data?: Record<string, string | number>
  children?: Child
}

function Navbar() {
  return (
    <nav class="navbar navbar-expand-md bg-primary mb-4" data-bs-theme="dark">
      <div class="container">
        <a class="navbar-brand" href="/">
          Blog
        </a>
        <button
          class="navbar-toggler"
          type="button"
          data-bs-toggle="collapse"
          data-bs-target="#navbar-menu"
          aria-controls="navbar-menu"
          aria-expanded="false"
          aria-label="Toggle navigation"
        >
          <span class="navbar-toggler-icon"></span>
        </button>
        <div class="collapse navbar-collapse" id="navbar-menu">
          <ul class="navbar-nav me-auto">
            <li class="nav-item">
              <a class="nav-link" href="/">
                Home
              </a>
            </li>
            <li class="nav-item">
              <a class="nav-link" href="/docs">
                API docs
              </a>
            </li>
          </ul>
          {/* The browser code shows one of these two once it knows who is signed in. */}
          <div class="navbar-nav" id="nav-signed-out" hidden>
            <a class="nav-link" href="/login">
              Login
            </a>
            <a class="nav-link" href="/register">
              Register
            </a>
          </div>
          <div class="navbar-nav align-items-md-center gap-md-2" id="nav-signed-in" hidden>
            <a class="nav-link" href="/posts/new">
              New Post
            </a>
            <a class="btn btn-outline-light btn-sm d-inline-flex align-items-center gap-2" id="nav-account" href="/account" title="Account">
              <img class="avatar avatar-sm" id="nav-avatar" alt="" />
              <span id="nav-username"></span>
            </a>
            <button class="btn btn-link nav-link" id="nav-logout" type="button">
              Logout
            </button>
          </div>
        </div>
      </div>
    </nav>
  )
}

export function Layout({ title, page, data = {}, children }: LayoutProps) {
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value]))
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Blog`}</title>
        {/* An empty icon, so browsers do not ask for /favicon.ico and get a 404. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/vendor/bootstrap/css/bootstrap.min.css" />
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/vendor/bootstrap/js/bootstrap.bundle.min.js" defer></script>
        <script type="module" src="/assets/main.js"></script>
      </head>
      <body data-page={page} {...dataAttributes}>
        <Navbar />
        <main class="container pb-5">{children}</main>
      </body>
    </html>
  )
}

export function renderPage(c: Context, page: Child, status: ContentfulStatusCode = 200) {
  return c.html(html`<!doctype html>${page}`, status)
}
