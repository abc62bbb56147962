import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { watchPasswordMatch } from '../password-match.js'

/** The token of the reset link, which travels in the fragment; the fragment is then dropped from the address bar and history. */
function takeToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (window.location.hash) history.replaceState(null, '', window.location.pathname)
  return token
}

export function resetPasswordPage(): void {
  const form = byId('reset-form', HTMLFormElement)
  const password = inputById('password')
  const confirm = inputById('confirm-password')
  const alert = byId('reset-error')
  const showInvalid = () => {
    form.hidden = true
    byId('reset-invalid').hidden = false
  }
  watchPasswordMatch(password, confirm, byId('confirm-password-feedback').textContent ?? '')

  const token = takeToken()
  if (!token) return showInvalid()
  onSubmit(form, alert, async () => {
    const { response, error } = await api.POST('/api/users/reset-password', { body: { token, new_password: password.value } })
    if (response.ok) return window.location.assign('/login?reset=done')
    if (response.status === 400) return showInvalid()
    showMessage(alert, errorMessage(error))
  })
}
