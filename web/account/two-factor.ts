import { errorMessage, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { setCurrentUser } from '../auth.js'
import { byId, h, inputById, onClick, onSubmit, showMessage } from '../dom.js'

/**
 * The two-factor card: turned on in three steps (the password; the QR code and the key, and a
 * code from the app to confirm; the recovery codes, shown once), then new recovery codes or off,
 * each with the password and a code.
 */
export function setUpTwoFactor(user: UserPrivate): void {
  const alert = byId('two-factor-error')
  const saved = byId('two-factor-saved')
  const status = byId('two-factor-status')
  const enableForm = byId('two-factor-enable-form', HTMLFormElement)
  const confirmForm = byId('two-factor-confirm-form', HTMLFormElement)
  const manageForm = byId('two-factor-manage-form', HTMLFormElement)
  const codesBox = byId('two-factor-codes')
  const codeList = byId('two-factor-code-list')
  const copy = byId('two-factor-copy', HTMLButtonElement)
  let account = user
  let shownCodes: string[] = []

  const show = (enabled: boolean) => {
    account = { ...account, two_factor_enabled: enabled }
    setCurrentUser(account)
    status.textContent = enabled
      ? 'On: signing in asks for a code from your authenticator app after your password.'
      : 'Off: signing in asks for your password only.'
    enableForm.hidden = enabled
    confirmForm.hidden = true
    manageForm.hidden = !enabled
  }
  const showCodes = (codes: string[]) => {
    shownCodes = codes
    codeList.replaceChildren(...codes.map((code) => h('li', {}, code)))
    copy.textContent = 'Copy the codes'
    codesBox.hidden = false
  }
  const done = (message: string) => {
    manageForm.reset()
    showMessage(saved, message)
  }
  show(user.two_factor_enabled)

  onSubmit(enableForm, alert, async () => {
    saved.hidden = true
    codesBox.hidden = true
    const { data, error } = await api.POST('/api/users/me/two-factor', { body: { password: inputById('two-factor-password').value } })
    if (!data) return showMessage(alert, errorMessage(error))
    enableForm.reset()
    enableForm.hidden = true
    // Our own server's SVG, shown as an image: no markup of it enters the page.
    byId('two-factor-qr', HTMLImageElement).src = `data:image/svg+xml;base64,${btoa(data.qr_svg)}`
    byId('two-factor-secret').textContent = data.secret
    confirmForm.hidden = false
    inputById('two-factor-code').focus()
  })

  onSubmit(confirmForm, alert, async () => {
    const { data, error } = await api.POST('/api/users/me/two-factor/confirm', { body: { code: inputById('two-factor-code').value.trim() } })
    if (!data) return showMessage(alert, errorMessage(error))
    confirmForm.reset()
    show(true)
    showCodes(data.recovery_codes)
    showMessage(saved, 'Two-factor authentication is on.')
  })

  const passwordAndCode = () => {
    saved.hidden = true
    if (!manageForm.reportValidity()) return undefined
    return { password: inputById('two-factor-manage-password').value, code: inputById('two-factor-manage-code').value.trim() }
  }

  onClick(byId('two-factor-regenerate', HTMLButtonElement), alert, async () => {
    const body = passwordAndCode()
    if (!body) return
    const { data, error } = await api.POST('/api/users/me/two-factor/recovery-codes', { body })
    if (!data) return showMessage(alert, errorMessage(error))
    showCodes(data.recovery_codes)
    done('New recovery codes are ready; the old ones no longer work.')
  })

  onClick(byId('two-factor-disable', HTMLButtonElement), alert, async () => {
    const body = passwordAndCode()
    if (!body) return
    const { response, error } = await api.DELETE('/api/users/me/two-factor', { body })
    if (!response.ok) return showMessage(alert, errorMessage(error))
    codesBox.hidden = true
    show(false)
    done('Two-factor authentication is off.')
  })

  onClick(copy, alert, async () => {
    try {
      await navigator.clipboard.writeText(shownCodes.join('\n'))
      copy.textContent = 'Copied'
    } catch {
      showMessage(alert, 'The codes could not be copied: select them and copy them by hand.')
    }
  })
}
