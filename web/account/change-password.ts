import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { signIn } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { watchPasswordMatch } from '../password-match.js'

/**
 * The change-password form. The change ends every token issued before it, this page's too, so
 * the page logs in again with the new password and the visitor stays signed in.
 */
export function setUpChangePassword(user: UserPrivate): void {
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
    const failure = await signIn(user.email, next.value)
    if (failure) return window.location.assign('/login')
    form.reset()
    showMessage(saved, 'Your password has been changed.')
  })
}
