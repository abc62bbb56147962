import { setUpChangePassword } from '../account/change-password.js'
import { setUpAccountDetails } from '../account/details.js'
import { setUpDeleteAccount } from '../account/delete-account.js'
import { setUpPasskeys } from '../account/passkeys.js'
import { setUpProfilePicture } from '../account/picture.js'
import { setUpSessions } from '../account/sessions.js'
import { setUpTwoFactor } from '../account/two-factor.js'
import { setUpVerificationBanner } from '../account/verification.js'
import { currentUserOrLogin } from '../auth.js'
import { byId } from '../dom.js'

/** One setUp per section of the page (src/pages/account.tsx). */
export async function accountPage(): Promise<void> {
  const user = await currentUserOrLogin()
  if (!user) return
  setUpVerificationBanner(user)
  setUpAccountDetails(user)
  setUpProfilePicture(user)
  setUpChangePassword()
  setUpSessions()
  setUpTwoFactor(user)
  setUpPasskeys()
  setUpDeleteAccount(user)
  byId('account').hidden = false
}
