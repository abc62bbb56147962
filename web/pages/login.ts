import { signIn } from '../auth.js'
import { byId, inputById, onSubmit, showMessage } from '../dom.js'

export function loginPage(): void {
  const alert = byId('login-error')
  const query = new URLSearchParams(window.location.search)
  if (query.get('reset') === 'done') {
    showMessage(byId('login-notice'), 'Your password has been reset. Log in with the new one.')
  } else if (query.get('registered') === '1') {
    showMessage(byId('login-notice'), 'Your account is ready. Check your inbox: we mailed you a link to verify your email address. Then log in.')
  }
  onSubmit(byId('login-form', HTMLFormElement), alert, async () => {
    const failure = await signIn(inputById('email').value, inputById('password').value)
    if (failure) return showMessage(alert, failure)
    window.location.assign('/')
  })
}
