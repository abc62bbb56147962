import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { forgetSignIn } from '../auth.js'
import { byId, onClick, showMessage } from '../dom.js'

/** The confirm button of the "Delete your account?" dialog. */
export function setUpDeleteAccount(user: UserPrivate): void {
  const alert = byId('delete-account-error')
  onClick(byId('delete-account-confirm', HTMLButtonElement), alert, async () => {
    const { error, response } = await api.DELETE('/api/users/{user_id}', { params: { path: { user_id: user.id } } })
    if (!response.ok) return showMessage(alert, errorMessage(error))
    // The account's sessions went with it.
    forgetSignIn()
    window.location.assign('/')
  })
}
