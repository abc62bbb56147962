import { api } from '../api.js'
import { showPostList } from '../posts/post-list.js'

export function homePage(): Promise<void> {
  return showPostList((query) => api.GET('/api/posts', { params: { query } }))
}
