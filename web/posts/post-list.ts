import { errorMessage, type PostPage } from '../../client/index.js'
import { byId, showMessage } from '../dom.js'
import { postCard } from './post-card.js'

const PAGE_SIZE = 10

type LoadPage = (query: { skip: number; limit: number }) => Promise<{ data?: PostPage; error?: unknown }>

/** Fills the page's post list from the API, one page now and one more per "Load more". */
export async function showPostList(load: LoadPage): Promise<void> {
  const list = byId('posts')
  const empty = byId('posts-empty')
  const alert = byId('posts-error')
  const loadMore = byId('load-more', HTMLButtonElement)
  let skip = 0

  async function loadNextPage(): Promise<void> {
    loadMore.disabled = true
    const { data, error } = await load({ skip, limit: PAGE_SIZE }).finally(() => (loadMore.disabled = false))
    if (!data) return showMessage(alert, errorMessage(error))
    list.append(...data.posts.map((post) => postCard(post, { linkTitle: true })))
    skip += data.posts.length
    empty.hidden = skip > 0
    loadMore.hidden = !data.has_more
  }

  loadMore.addEventListener('click', () => void loadNextPage())
  await loadNextPage()
}
