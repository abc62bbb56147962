import { errorMessage, type PostResponse } from '../../client/index.js'
import { api } from '../api.js'
import { getCurrentUser } from '../auth.js'
import { byId, inputById, onClick, onSubmit, pageNumber, showMessage } from '../dom.js'
import { postCard } from '../posts/post-card.js'

function showPost(post: PostResponse): void {
  byId('post').replaceChildren(postCard(post, { linkTitle: false }))
  document.title = `${post.title} · Blog`
}

/** Edit and Delete, for the post's author only (the API checks again). */
function setUpOwnerActions(post: PostResponse): void {
  const path = { post_id: post.id }
  const actions = byId('post-actions')
  const form = byId('edit-post-form', HTMLFormElement)
  const title = inputById('edit-title')
  const content = byId('edit-content', HTMLTextAreaElement)
  const editing = (on: boolean) => {
    form.hidden = !on
    actions.hidden = on
  }

  actions.hidden = false
  byId('edit-post').addEventListener('click', () => {
    title.value = post.title
    content.value = post.content
    editing(true)
    title.focus()
  })
  byId('cancel-edit').addEventListener('click', () => editing(false))
  onSubmit(form, byId('edit-post-error'), async () => {
    const body = { title: title.value, content: content.value }
    const { data, error } = await api.PUT('/api/posts/{post_id}', { params: { path }, body })
    if (!data) return showMessage(byId('edit-post-error'), errorMessage(error))
    post = data
    showPost(post)
    editing(false)
  })

  const deleteError = byId('delete-post-error')
  onClick(byId('delete-post-confirm', HTMLButtonElement), deleteError, async () => {
    const { error, response } = await api.DELETE('/api/posts/{post_id}', { params: { path } })
    if (!response.ok) return showMessage(deleteError, errorMessage(error))
    window.location.assign('/')
  })
}

export async function postPage(): Promise<void> {
  const path = { post_id: pageNumber('postId') }
  const [{ data: post, error }, user] = await Promise.all([
    api.GET('/api/posts/{post_id}', { params: { path } }),
    getCurrentUser(),
  ])
  if (!post) {
    const message = errorMessage(error)
    document.title = `${message} · Blog`
    return showMessage(byId('post-error'), message)
  }
  showPost(post)
  if (user?.id === post.user_id) setUpOwnerActions(post)
}
