import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'

export function registerPage(): void {
  const password = inputById('password')
  const confirm = inputById('confirm-password')
  const alert = byId('register-error')
  const mismatchMessage = byId('confirm-password-feedback').textContent ?? ''

  // Marked while typing; the custom validity also keeps the browser from submitting the form.
  const checkMatch = () => {
    const mismatch = confirm.value !== '' && confirm.value !== password.value
    confirm.classList.toggle('is-invalid', mismatch)
    confirm.setCustomValidity(confirm.value === password.value ? '' : mismatchMessage)
  }
  password.addEventListener('input', checkMatch)
  confirm.addEventListener('input', checkMatch)

  onSubmit(byId('register-form', HTMLFormElement), alert, async () => {
    const body = { username: inputById('username').value, email: inputById('email').value, password: password.value }
    const { data, error } = await api.POST('/api/users', { body })
    if (!data) return showMessage(alert, errorMessage(error))
    window.location.assign('/login')
  })
}
