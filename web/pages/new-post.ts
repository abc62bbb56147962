import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { currentUserOrLogin } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'

export async function newPostPage(): Promise<void> {
  if (!(await currentUserOrLogin())) return
  const alert = byId('new-post-error')
  onSubmit(byId('new-post-form', HTMLFormElement), alert, async () => {
    const body = { title: inputById('new-title').value, content: byId('new-content', HTMLTextAreaElement).value }
    const { data, error } = await api.POST('/api/posts', { body })
    if (!data) return showMessage(alert, errorMessage(error))
    window.location.assign(`/posts/${data.id}`)
  })
}
