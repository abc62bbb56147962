import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { setCurrentUser } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { showNavbar } from '../navbar.js'
import { showVerificationBanner } from './verification.js'

export function showDetails(user: UserPrivate): void {
  byId('account-avatar', HTMLImageElement).src = user.image_path
  byId('account-name').textContent = user.username
  byId('account-email-text').textContent = user.email
  inputById('account-username').value = user.username
  inputById('account-email').value = user.email
}

/**
 * The account's picture, name and email, and the form that changes username and email. A new
 * email needs the password: its field shows, and is sent, only while the email differs.
 */
export function setUpAccountDetails(user: UserPrivate): void {
  const alert = byId('account-error')
  const saved = byId('account-saved')
  const email = inputById('account-email')
  const passwordGroup = byId('account-password-group')
  const password = inputById('account-current-password')
  let current = user
  // Emails are stored trimmed and lowercased, so another casing of the same address is no change.
  const emailChanges = () => email.value.trim().toLowerCase() !== current.email
  const showPasswordField = () => {
    const needed = emailChanges()
    passwordGroup.hidden = !needed
    // A disabled field is neither required nor sent.
    password.disabled = !needed
    if (!needed) password.value = ''
  }
  email.addEventListener('input', showPasswordField)
  showDetails(user)
  showPasswordField()

  onSubmit(byId('account-form', HTMLFormElement), alert, async () => {
    saved.hidden = true
    const body = {
      username: inputById('account-username').value,
      email: email.value,
      ...(emailChanges() && { current_password: password.value }),
    }
    const movedEmail = emailChanges()
    const { data, error } = await api.PATCH('/api/users/{user_id}', { params: { path: { user_id: user.id } }, body })
    if (!data) return showMessage(alert, errorMessage(error))
    current = data
    setCurrentUser(data)
    showDetails(data)
    showVerificationBanner(data)
    showPasswordField()
    await showNavbar()
    showMessage(saved, movedEmail ? 'Your account has been updated. We mailed a link to verify the new address.' : 'Your account has been updated.')
  })
}
