import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { setCurrentUser } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'
import { showNavbar } from '../navbar.js'

export function showDetails(user: UserPrivate): void {
  byId('account-avatar', HTMLImageElement).src = user.image_path
  byId('account-name').textContent = user.username
  byId('account-email-text').textContent = user.email
  inputById('account-username').value = user.username
  inputById('account-email').value = user.email
}

/** The account's picture, name and email, and the form that changes username and email. */
export function setUpAccountDetails(user: UserPrivate): void {
  const alert = byId('account-error')
  const saved = byId('account-saved')
  showDetails(user)
  onSubmit(byId('account-form', HTMLFormElement), alert, async () => {
    saved.hidden = true
    const body = { username: inputById('account-username').value, email: inputById('account-email').value }
    const { data, error } = await api.PATCH('/api/users/{user_id}', { params: { path: { user_id: user.id } }, body })
    if (!data) return showMessage(alert, errorMessage(error))
    setCurrentUser(data)
    showDetails(data)
    await showNavbar()
    showMessage(saved, 'Your account has been updated.')
  })
}
