import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { watchPasswordMatch } from '../password-match.js'

export function registerPage(): void {
  const password = inputById('password')
  const confirm = inputById('confirm-password')
  const alert = byId('register-error')
  watchPasswordMatch(password, confirm, byId('confirm-password-feedback').textContent ?? '')

  onSubmit(byId('register-form', HTMLFormElement), alert, async () => {
    const body = { username: inputById('username').value, email: inputById('email').value, password: password.value }
    const { data, error } = await api.POST('/api/users', { body })
    if (!data) return showMessage(alert, errorMessage(error))
    window.location.assign('/login?registered=1')
  })
}
