import { signInWithPasskey, signInWithPassword, signInWithSecondFactor, type SignInStep } from '../auth.js'
import { byId, inputById, onClick, onSubmit, showMessage } from '../dom.js'
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill } from '../passkeys.js'

const EXPIRED = 'Invalid or expired MFA token'

/** The code field asks for the app's code or, switched, a recovery code. */
function setUpCodeField(): { recovery: () => boolean; reset: () => void } {
  const field = inputById('mfa-code')
  const label = document.querySelector<HTMLLabelElement>('label[for="mfa-code"]')!
  const prompt = byId('mfa-prompt')
  const toggle = byId('mfa-switch', HTMLButtonElement)
  let recovery = false
  const show = () => {
    field.value = ''
    label.textContent = recovery ? 'Recovery code' : 'Authentication code'
    prompt.textContent = recovery
      ? 'Enter one of the recovery codes you saved when you turned on two-factor authentication. Each works once.'
      : 'Enter the 6-digit code from your authenticator app.'
    field.inputMode = recovery ? 'text' : 'numeric'
    field.autocomplete = recovery ? 'off' : 'one-time-code'
    toggle.textContent = recovery ? 'Use the authenticator app' : 'Use a recovery code'
    field.focus()
  }
  toggle.addEventListener('click', () => {
    recovery = !recovery
    show()
  })
  return {
    recovery: () => recovery,
    reset: () => {
      recovery = false
      show()
    },
  }
}

export function loginPage(): void {
  const loginForm = byId('login-form', HTMLFormElement)
  const mfaForm = byId('mfa-form', HTMLFormElement)
  const alert = byId('login-error')
  const mfaAlert = byId('mfa-error')
  const query = new URLSearchParams(window.location.search)
  if (query.get('reset') === 'done') {
    showMessage(byId('login-notice'), 'Your password has been reset. Log in with the new one.')
  } else if (query.get('registered') === '1') {
    showMessage(byId('login-notice'), 'Your account is ready. Check your inbox: we mailed you a link to verify your email address. Then log in.')
  }
  const code = setUpCodeField()
  let mfaToken = ''

  const carryOn = (step: SignInStep, failed: HTMLElement) => {
    if ('signedIn' in step) return window.location.assign('/')
    if ('mfaToken' in step) {
      // The password was right; the account has a second factor.
      mfaToken = step.mfaToken
      loginForm.hidden = true
      mfaForm.hidden = false
      code.reset()
      return
    }
    if (step.failure === EXPIRED) {
      // Five minutes passed, or too many wrong codes: back to the password.
      mfaForm.hidden = true
      loginForm.hidden = false
      return showMessage(alert, 'Your sign-in expired. Enter your password again.')
    }
    showMessage(failed, step.failure)
  }

  onSubmit(loginForm, alert, async () => {
    carryOn(await signInWithPassword(inputById('email').value, inputById('password').value), alert)
  })
  onSubmit(mfaForm, mfaAlert, async () => {
    const value = inputById('mfa-code').value.trim()
    carryOn(await signInWithSecondFactor(mfaToken, code.recovery() ? { recoveryCode: value } : { otp: value }), mfaAlert)
  })

  if (!browserSupportsWebAuthn()) return
  const passkeyButton = byId('passkey-login', HTMLButtonElement)
  passkeyButton.hidden = false
  onClick(passkeyButton, alert, async () => carryOn(await signInWithPasskey(), alert))
  // The autofill speaks only once a passkey was picked from it. Before that (no options, the
  // prompt the button called off, an address passkeys refuse) it says nothing; the button says why.
  offerPasskeyAutofill((step) => {
    if (!('quiet' in step)) carryOn(step, alert)
  }).catch(() => undefined)
}

/** Where the browser can, its suggestions for the email field include this site's passkeys (conditional mediation). */
async function offerPasskeyAutofill(done: (step: SignInStep) => void): Promise<void> {
  if (await browserSupportsWebAuthnAutofill()) done(await signInWithPasskey(true))
}
