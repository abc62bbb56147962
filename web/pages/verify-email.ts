import { errorMessage } from '../../client/index.js'
import { api } from '../api.js'
import { getCurrentUser } from '../auth.js'
import { byId, onClick, showMessage } from '../dom.js'

/** The token of the verification link, which travels in the fragment; the fragment is then dropped from the address bar and history. */
function takeToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (window.location.hash) history.replaceState(null, '', window.location.pathname)
  return token
}

/** Sends the link's token to the API and says whether the address is verified, or why not. */
export async function verifyEmailPage(): Promise<void> {
  const pending = byId('verify-pending')
  const alert = byId('verify-error')
  // Another link opened in this tab changes only the fragment, which loads no page: load it.
  window.addEventListener('hashchange', () => window.location.reload())
  const token = takeToken()
  const failed = async (message: string) => {
    pending.hidden = true
    showMessage(alert, message)
    // A signed-in user can ask for a new link here; anyone else is told to log in first.
    if (await getCurrentUser()) byId('verify-resend').hidden = false
    else byId('verify-login-hint').hidden = false
  }
  onClick(byId('verify-resend', HTMLButtonElement), alert, async () => {
    const { data, error } = await api.POST('/api/users/me/verification-email')
    if (!data) return showMessage(alert, errorMessage(error))
    alert.hidden = true
    byId('verify-resend').hidden = true
    showMessage(byId('verify-sent'), 'A new link is on its way: check your inbox.')
  })

  if (!token) return failed('This link has no token. Open the link from the mail, or ask for a new one.')
  const { response, error } = await api.POST('/api/users/verify-email', { body: { token } })
  if (response.ok) {
    pending.hidden = true
    return showMessage(byId('verify-done'), 'Your email address is verified. Thank you!')
  }
  if (response.status === 400) return failed('This link is invalid, already used, replaced by a newer one, or expired.')
  await failed(errorMessage(error))
}
