import { signIn } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'

export function loginPage(): void {
  const alert = byId('login-error')
  if (new URLSearchParams(window.location.search).get('reset') === 'done') {
    showMessage(byId('login-notice'), 'Your password has been reset. Log in with the new one.')
  }
  onSubmit(byId('login-form', HTMLFormElement), alert, async () => {
    const failure = await signIn(inputById('email').value, inputById('password').value)
    if (failure) return showMessage(alert, failure)
    window.location.assign('/')
  })
}
