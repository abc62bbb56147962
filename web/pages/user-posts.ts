import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, pageNumber, showMessage } from '../dom.js'
import { showPostList } from '../posts/post-list.js'

export async function userPostsPage(): Promise<void> {
  const path = { user_id: pageNumber('userId') }
  const { data: user, error } = await api.GET('/api/users/{user_id}', { params: { path } })
  if (!user) return showMessage(byId('posts-error'), errorMessage(error))
  byId('posts-heading').textContent = `Posts by ${user.username}`
  document.title = `Posts by ${user.username} · Blog`
  await showPostList((query) => api.GET('/api/users/{user_id}/posts', { params: { path, query } }))
}
