import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { byId, onClick, showMessage } from '../dom.js'

/** The banner at the top of the account page, shown while the account's email is not verified. */
export function showVerificationBanner(user: UserPrivate): void {
  byId('verify-banner').hidden = user.email_verified
  byId('verify-banner-email').textContent = user.email
  if (user.email_verified) byId('verify-banner-sent').hidden = true
}

/** The banner and its "Send the link again" button, which mails a new link (ending the earlier ones). */
export function setUpVerificationBanner(user: UserPrivate): void {
  const sent = byId('verify-banner-sent')
  const alert = byId('verify-banner-error')
  showVerificationBanner(user)
  onClick(byId('verify-banner-resend', HTMLButtonElement), alert, async () => {
    sent.hidden = true
    const { data, error } = await api.POST('/api/users/me/verification-email')
    if (!data) return showMessage(alert, errorMessage(error))
    showMessage(sent, 'A new link is on its way: check your inbox. Earlier links no longer work.')
  })
}
