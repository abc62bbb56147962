import type { PostResponse } from '../../client/index.js'
import { h } from '../dom.js'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' })

/** One post with its author's picture, name and the date; in a list the title links to the post. */
export function postCard(post: PostResponse, { linkTitle }: { linkTitle: boolean }): HTMLElement {
  const { author } = post
  const title = linkTitle ? h('a', { className: 'text-decoration-none', href: `/posts/${post.id}` }, post.title) : post.title
  return h(
    'article',
    { className: 'card shadow-sm' },
    h(
      'div',
      { className: 'card-body d-flex gap-3' },
      h('img', { className: 'avatar', src: author.image_path, alt: '' }),
      h(
        'div',
        { className: 'flex-grow-1 text-break' },
        h(
          'div',
          { className: 'd-flex flex-wrap column-gap-2 align-items-baseline mb-1' },
          h('a', { className: 'fw-semibold text-decoration-none', href: `/users/${author.id}/posts` }, author.username),
          h('time', { className: 'small text-body-secondary', dateTime: post.date_posted }, formatDate(post.date_posted)),
        ),
        h('h2', { className: 'h5 card-title post-title' }, title),
        h('p', { className: 'card-text post-content' }, post.content),
      ),
    ),
  )
}

function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso))
}
