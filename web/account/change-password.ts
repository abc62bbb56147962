import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { watchPasswordMatch } from '../password-match.js'
import { showSessions } from './sessions.js'

/** The change-password form. The change ends every other session; this page's goes on. */
export function setUpChangePassword(): void {
  const form = byId('password-form', HTMLFormElement)
  const alert = byId('password-error')
  const saved = byId('password-saved')
  const current = inputById('current-password')
  const next = inputById('new-password')
  const confirm = inputById('confirm-new-password')
  watchPasswordMatch(next, confirm, byId('confirm-new-password-feedback').textContent ?? '')

  onSubmit(form, alert, async () => {
    saved.hidden = true
    const body = { current_password: current.value, new_password: next.value }
    const { error, response } = await api.PATCH('/api/users/me/password', { body })
    if (!response.ok) return showMessage(alert, errorMessage(error))
    form.reset()
    showMessage(saved, 'Your password has been changed.')
    await showSessions()
  })
}
