import { FIELD_LIMITS } from '../rules/fields.js'
import { Alert, ConfirmDialog, Field, NewPasswordFields, SubmitButton } from './components.js'
import { Layout } from './layout.js'

function AccountDetails() {
  return (
    <section class="card mb-4">
      <div class="card-body">
        <div class="d-flex align-items-center gap-3 mb-4">
          <img class="avatar avatar-lg" id="account-avatar" alt="" />
          <div>
            <h2 class="h4 mb-0" id="account-name"></h2>
            <div class="text-body-secondary" id="account-email-text"></div>
          </div>
        </div>
        <form id="account-form">
          <Alert id="account-error" />
          <Alert id="account-saved" kind="success" />
          <Field id="account-username" label="Username" autocomplete="username" maxlength={FIELD_LIMITS.username.max} />
          <Field id="account-email" label="Email" type="email" autocomplete="email" maxlength={FIELD_LIMITS.email.max} />
          {/* Shown (and enabled) by web/account/details.ts while the email differs from the account's. */}
          <div id="account-password-group" hidden>
            <Field
              id="account-current-password"
              label="Password"
              type="password"
              autocomplete="current-password"
              maxlength={FIELD_LIMITS.password.max}
              hint="A new email needs your password."
            />
          </div>
          <SubmitButton label="Save changes" />
        </form>
      </div>
    </section>
  )
}

function ProfilePicture() {
  return (
    <section class="card mb-4">
      <div class="card-body">
        <h2 class="h5 mb-3">Profile picture</h2>
        <form id="picture-form">
          <Alert id="picture-error" />
          <Alert id="picture-saved" kind="success" />
          <div class="d-flex align-items-center gap-3 mb-3">
            <img class="avatar avatar-lg" id="picture-image" alt="" />
            <div class="text-body-secondary" id="picture-caption"></div>
          </div>
          <div class="mb-3">
            <label class="form-label" for="picture-file">
              New picture
            </label>
            <input
              class="form-control"
              id="picture-file"
              name="picture-file"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              required
              aria-describedby="picture-file-hint"
            />
            <div class="form-text" id="picture-file-hint">
              JPEG, PNG or WebP. It is cut to a square, and any location or camera details in it are removed.
            </div>
          </div>
          <div class="d-flex gap-2">
            <SubmitButton label="Upload" />
            <button class="btn btn-outline-danger" id="picture-remove" type="button">
              Remove
            </button>
          </div>
        </form>
      </div>
    </section>
  )
}

function ChangePassword() {
  return (
    <section class="card mb-4">
      <div class="card-body">
        <h2 class="h5 mb-3">Change password</h2>
        <form id="password-form">
          <Alert id="password-error" />
          <Alert id="password-saved" kind="success" />
          <Field
            id="current-password"
            label="Current Password"
            type="password"
            autocomplete="current-password"
            maxlength={FIELD_LIMITS.password.max}
          />
          <NewPasswordFields
            id="new-password"
            confirmId="confirm-new-password"
            label="New Password"
            confirmLabel="Confirm New Password"
            note="Other sessions are signed out."
          />
          <SubmitButton label="Change password" />
        </form>
      </div>
    </section>
  )
}

function Sessions() {
  return (
    <section class="card mb-4">
      <div class="card-body">
        <h2 class="h5 mb-3">Where you're signed in</h2>
        <Alert id="sessions-error" />
        {/* Filled by web/account/sessions.ts. */}
        <ul class="list-group mb-3" id="sessions-list"></ul>
        <button class="btn btn-outline-danger" id="sessions-end-others" type="button" hidden>
          Sign out everywhere else
        </button>
      </div>
    </section>
  )
}

// Room for a recovery code typed with spaces; the API says whether it is right.
const CODE_MAX = 20

/** Turned on in three steps (password, then the QR code and a code from it, then the recovery codes) by web/account/two-factor.ts. */
function TwoFactor() {
  return (
    <section class="card mb-4" id="two-factor">
      <div class="card-body">
        <h2 class="h5 mb-3">Two-factor authentication</h2>
        <Alert id="two-factor-error" />
        <Alert id="two-factor-saved" kind="success" />
        <p id="two-factor-status"></p>
        <form id="two-factor-enable-form" hidden>
          <Field
            id="two-factor-password"
            label="Your password"
            type="password"
            autocomplete="current-password"
            maxlength={FIELD_LIMITS.password.max}
            hint="With two factors, signing in also asks for a code from an authenticator app on your phone."
          />
          <SubmitButton label="Set up two-factor authentication" />
        </form>
        <form id="two-factor-confirm-form" hidden>
          <p>Scan this QR code with your authenticator app (Google Authenticator, 1Password, Authy...), or type the key in.</p>
          <img class="mb-2 border" id="two-factor-qr" alt="QR code of your two-factor key" width="200" height="200" />
          <p>
            Key: <code id="two-factor-secret"></code>
          </p>
          <Field id="two-factor-code" label="Code from the app" autocomplete="one-time-code" inputmode="numeric" maxlength={CODE_MAX} />
          <SubmitButton label="Turn on" />
        </form>
        <div id="two-factor-codes" hidden>
          <div class="alert alert-warning" role="status">
            Save these recovery codes somewhere safe now: they are shown only once. Each one signs you in once if you lose your
            phone.
          </div>
          <ul class="list-unstyled font-monospace mb-3" id="two-factor-code-list"></ul>
          <button class="btn btn-outline-secondary mb-3" id="two-factor-copy" type="button">
            Copy the codes
          </button>
        </div>
        <form id="two-factor-manage-form" hidden>
          <p>To make new recovery codes, or to turn two factors off, give your password and a code.</p>
          <Field
            id="two-factor-manage-password"
            label="Your password, again"
            type="password"
            autocomplete="current-password"
            maxlength={FIELD_LIMITS.password.max}
          />
          <Field id="two-factor-manage-code" label="Code from the app, or a recovery code" autocomplete="one-time-code" maxlength={CODE_MAX} />
          <div class="d-flex flex-wrap gap-2">
            <button class="btn btn-primary" id="two-factor-regenerate" type="button">
              New recovery codes
            </button>
            <button class="btn btn-outline-danger" id="two-factor-disable" type="button">
              Turn off two-factor authentication
            </button>
          </div>
        </form>
      </div>
    </section>
  )
}

/** Listed, added (with a name), renamed and removed by web/account/passkeys.ts. */
function Passkeys() {
  return (
    <section class="card mb-4" id="passkeys">
      <div class="card-body">
        <h2 class="h5 mb-3">Passkeys</h2>
        <p>A passkey signs you in with your fingerprint, face, screen lock or security key instead of your password.</p>
        <Alert id="passkeys-error" />
        <Alert id="passkeys-saved" kind="success" />
        <p class="text-body-secondary" id="passkeys-none" hidden>
          You have no passkeys yet.
        </p>
        <ul class="list-group mb-3" id="passkeys-list"></ul>
        <p id="passkeys-unsupported" hidden>
          This browser cannot make passkeys.
        </p>
        <form id="passkeys-add-form" hidden>
          <Field
            id="passkey-name"
            label="Name of the new passkey"
            maxlength={FIELD_LIMITS.passkeyName.max}
            hint="Something to tell it by, such as the device it is on."
          />
          <SubmitButton label="Add a passkey" />
        </form>
      </div>
    </section>
  )
}

function DeleteAccount() {
  return (
    <section class="card border-danger">
      <div class="card-body">
        <h2 class="h5">Delete account</h2>
        <p>Deleting your account also deletes all of your posts. This cannot be undone.</p>
        <button class="btn btn-danger" type="button" data-bs-toggle="modal" data-bs-target="#delete-account">
          Delete account
        </button>
      </div>
      <ConfirmDialog id="delete-account" title="Delete your account?" confirmLabel="Delete my account">
        <p>Your account and all of your posts will be deleted for good.</p>
      </ConfirmDialog>
    </section>
  )
}

/** Each section is a card with a browser module of its own in web/account/. */
export function AccountPage() {
  return (
    <Layout title="Account" page="account">
      <h1 class="h3 mb-4">Account</h1>
      <div id="account" hidden>
        {/* Shown by web/account/verification.ts while the account's email is not verified. */}
        <div class="alert alert-warning" id="verify-banner" role="status" hidden>
          {/* The flex row inside: Bootstrap's d-flex would override the banner's hidden attribute. */}
          <div class="d-flex flex-wrap align-items-center gap-3">
            <span class="me-auto">
              Your email address is not verified yet: open the link we mailed to <strong id="verify-banner-email"></strong>.
            </span>
            <button class="btn btn-sm btn-outline-dark" type="button" id="verify-banner-resend">
              Send the link again
            </button>
          </div>
        </div>
        <Alert id="verify-banner-sent" kind="success" />
        <Alert id="verify-banner-error" />
        <AccountDetails />
        <ProfilePicture />
        <ChangePassword />
        <Sessions />
        <TwoFactor />
        <Passkeys />
        <DeleteAccount />
      </div>
    </Layout>
  )
}
