import { FIELD_LIMITS } from '../rules/fields.js'
import type { Child } from 'hono/jsx'
import { Alert, Field, NewPasswordFields, SubmitButton } from './components.js'
import { Layout } from './layout.js'

// Room for a recovery code typed with spaces; the API says whether it is right.
const CODE_MAX = 20

function AuthCard({ title, children }: { title: string; children: Child }) {
  return (
    <div class="row justify-content-center">
      <div class="col-md-8 col-lg-6">
        <div class="card shadow-sm">
          <div class="card-body p-4">
            <h1 class="h3 mb-4">{title}</h1>
            {children}
          </div>
        </div>
      </div>
    </div>
  )
}

export function LoginPage() {
  return (
    <Layout title="Log in" page="login">
      <AuthCard title="Log in">
        <form id="login-form">
          <Alert id="login-notice" kind="success" />
          <Alert id="login-error" />
          {/* `webauthn`: where the browser supports it, the email field's suggestions offer this site's passkeys too. */}
          <Field id="email" label="Email" type="email" autocomplete="username webauthn" maxlength={FIELD_LIMITS.email.max} />
          <Field id="password" label="Password" type="password" autocomplete="current-password" maxlength={FIELD_LIMITS.password.max} />
          <div class="d-flex flex-wrap gap-2">
            <SubmitButton label="Log in" />
            {/* Shown by web/pages/login.ts where the browser supports passkeys. */}
            <button class="btn btn-outline-primary" id="passkey-login" type="button" hidden>
              Sign in with a passkey
            </button>
          </div>
        </form>
        {/* The second step of an account with two factors, shown by web/pages/login.ts when the API asks for it. */}
        <form id="mfa-form" hidden>
          <Alert id="mfa-error" />
          <p id="mfa-prompt">Enter the 6-digit code from your authenticator app.</p>
          <Field id="mfa-code" label="Authentication code" autocomplete="one-time-code" inputmode="numeric" maxlength={CODE_MAX} />
          <div class="d-flex flex-wrap gap-2">
            <SubmitButton label="Verify" />
            <button class="btn btn-link" id="mfa-switch" type="button">
              Use a recovery code
            </button>
          </div>
        </form>
        <p class="mt-4 mb-1">
          <a href="/forgot-password">Forgot your password?</a>
        </p>
        <p class="mb-0">
          Need an account? <a href="/register">Register</a>
        </p>
      </AuthCard>
    </Layout>
  )
}

export function RegisterPage() {
  return (
    <Layout title="Register" page="register">
      <AuthCard title="Create an account">
        <form id="register-form">
          <Alert id="register-error" />
          <Field id="username" label="Username" autocomplete="username" maxlength={FIELD_LIMITS.username.max} />
          <Field id="email" label="Email" type="email" autocomplete="email" maxlength={FIELD_LIMITS.email.max} />
          <NewPasswordFields id="password" confirmId="confirm-password" label="Password" confirmLabel="Confirm Password" />
          <p class="form-text">We will mail a link to this address: open it to verify your email.</p>
          <SubmitButton label="Register" />
        </form>
        <p class="mt-4 mb-0">
          Already have an account? <a href="/login">Log in</a>
        </p>
      </AuthCard>
    </Layout>
  )
}

export function ForgotPasswordPage() {
  return (
    <Layout title="Forgot password" page="forgot-password">
      <AuthCard title="Reset your password">
        <form id="forgot-form">
          <p>Enter the email of your account, and we will send you a link to choose a new password.</p>
          <Alert id="forgot-sent" kind="success" />
          <Alert id="forgot-error" />
          <Field id="email" label="Email" type="email" autocomplete="email" maxlength={FIELD_LIMITS.email.max} />
          <SubmitButton label="Send" />
        </form>
        <p class="mt-4 mb-0">
          Remembered it? <a href="/login">Log in</a>
        </p>
      </AuthCard>
    </Layout>
  )
}

export function ResetPasswordPage() {
  return (
    <Layout title="Choose a new password" page="reset-password">
      <AuthCard title="Choose a new password">
        <div class="alert alert-danger" id="reset-invalid" role="alert" hidden>
          This reset link is invalid or has expired. <a href="/forgot-password">Ask for a new one</a>.
        </div>
        <form id="reset-form">
          <Alert id="reset-error" />
          <NewPasswordFields id="password" confirmId="confirm-password" label="New Password" confirmLabel="Confirm Password" />
          <SubmitButton label="Reset Password" />
        </form>
      </AuthCard>
    </Layout>
  )
}

export function VerifyEmailPage() {
  return (
    <Layout title="Verify your email" page="verify-email">
      <AuthCard title="Verify your email">
        <p id="verify-pending">Checking your link…</p>
        <Alert id="verify-done" kind="success" />
        <Alert id="verify-error" />
        <Alert id="verify-sent" kind="success" />
        {/* Shown by web/pages/verify-email.ts when the link failed and someone is signed in. */}
        <button class="btn btn-primary" type="button" id="verify-resend" hidden>
          Send the link again
        </button>
        <p class="mt-4 mb-0" id="verify-login-hint" hidden>
          <a href="/login">Log in</a> to ask for a new link.
        </p>
      </AuthCard>
    </Layout>
  )
}
