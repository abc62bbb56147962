import { errorMessage, type PostPage } from '../../client/index.js'
import { byId, showMessage } from '../dom.js'
import { postCard } from './post-card.js'

type LoadPage = (query: { skip: number }) => Promise<{ data?: PostPage; error?: unknown }>

/**
 * Fills the page's post list from the API, one page now and one more per "Load more". The page
 * size is the API's default, so it is set in one place (src/lib/integer-params.ts).
 */
export async function showPostList(load: LoadPage): Promise<void> {
  const list = byId('posts')
  const empty = byId('posts-empty')
  const alert = byId('posts-error')
  const loadMore = byId('load-more', HTMLButtonElement)
  let skip = 0

  async function loadNextPage(): Promise<void> {
    loadMore.disabled = true
    const { data, error } = await load({ skip }).finally(() => (loadMore.disabled = false))
    if (!data) return showMessage(alert, errorMessage(error))
    list.append(...data.posts.map((post) => postCard(post, { linkTitle: true })))
    skip += data.posts.length
    empty.hidden = skip > 0
    loadMore.hidden = !data.has_more
  }

  loadMore.addEventListener('click', () => void loadNextPage())
  await loadNextPage()
}
