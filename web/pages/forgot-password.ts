import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'

export function forgotPasswordPage(): void {
  const sent = byId('forgot-sent')
  const alert = byId('forgot-error')
  onSubmit(byId('forgot-form', HTMLFormElement), alert, async () => {
    sent.hidden = true
    const { data, error } = await api.POST('/api/users/forgot-password', { body: { email: inputById('email').value } })
    if (!data) return showMessage(alert, errorMessage(error))
    showMessage(sent, data.detail)
  })
}
