import { FIELD_LIMITS } from '../rules/fields.js'
import type { Child } from 'hono/jsx'

interface FieldProps {
  id: string
  label: string
  type?: 'text' | 'email' | 'password'
  autocomplete?: string
  /** The keyboard a phone shows: `numeric` for a code of digits. */
  inputmode?: 'numeric' | 'text'
  maxlength?: number
  hint?: string
  /** Shown under the field when the browser code marks it invalid. */
  invalidMessage?: string
}

export function Field({ id, label, type = 'text', autocomplete, inputmode, maxlength, hint, invalidMessage }: FieldProps) {
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {label}
      </label>
      <input
        class="form-control"
        id={id}
        name={id}
        type={type}
        autocomplete={autocomplete}
        inputmode={inputmode}
        maxlength={maxlength}
        required
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && (
        <div class="form-text" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {invalidMessage && (
        <div class="invalid-feedback" id={`${id}-feedback`}>
          {invalidMessage}
        </div>
      )}
    </div>
  )
}

interface NewPasswordFieldsProps {
  id: string
  confirmId: string
  label: string
  confirmLabel: string
  /** Said after the length rule. */
  note?: string
}

/** A new password and its confirmation; the page's script blocks the submit while they differ. */
export function NewPasswordFields({ id, confirmId, label, confirmLabel, note }: NewPasswordFieldsProps) {
  const rule = `At least ${FIELD_LIMITS.password.min} characters.`
  return (
    <>
      <Field
        id={id}
        label={label}
        type="password"
        autocomplete="new-password"
        maxlength={FIELD_LIMITS.password.max}
        hint={note ? `${rule} ${note}` : rule}
      />
      <Field
        id={confirmId}
        label={confirmLabel}
        type="password"
        autocomplete="new-password"
        maxlength={FIELD_LIMITS.password.max}
        invalidMessage="Passwords do not match."
      />
    </>
  )
}

/** The title and content fields of a post, shared by the new and edit forms. */
export function PostFields({ prefix }: { prefix: string }) {
  return (
    <>
      <Field id={`${prefix}-title`} label="Title" maxlength={FIELD_LIMITS.title.max} />
      <div class="mb-3">
        <label class="form-label" for={`${prefix}-content`}>
          Content
        </label>
        <textarea class="form-control" id={`${prefix}-content`} name={`${prefix}-content`} rows={8} maxlength={FIELD_LIMITS.content.max} required />
      </div>
    </>
  )
}

/** An alert the browser code fills with a message (as text) and reveals. */
export function Alert({ id, kind = 'danger' }: { id: string; kind?: 'danger' | 'success' }) {
  return <div class={`alert alert-${kind}`} id={id} role={kind === 'danger' ? 'alert' : 'status'} hidden></div>
}

export function SubmitButton({ label, kind = 'primary' }: { label: string; kind?: 'primary' | 'danger' }) {
  return (
    <button class={`btn btn-${kind}`} type="submit">
      {label}
    </button>
  )
}

interface ConfirmDialogProps {
  id: string
  title: string
  confirmLabel: string
  children: Child
}

/** A Bootstrap modal opened by a `data-bs-toggle="modal"` button; its confirm button is `#{id}-confirm`. */
export function ConfirmDialog({ id, title, confirmLabel, children }: ConfirmDialogProps) {
  return (
    <div class="modal fade" id={id} tabindex={-1} aria-labelledby={`${id}-title`} aria-hidden="true">
      <div class="modal-dialog">
        <div class="modal-content">
          <div class="modal-header">
            <h2 class="modal-title fs-5" id={`${id}-title`}>
              {title}
            </h2>
            <button class="btn-close" type="button" data-bs-dismiss="modal" aria-label="Close"></button>
          </div>
          <div class="modal-body">
            {children}
            <Alert id={`${id}-error`} />
          </div>
          <div class="modal-footer">
            <button class="btn btn-secondary" type="button" data-bs-dismiss="modal">
              Cancel
            </button>
            <button class="btn btn-danger" id={`${id}-confirm`} type="button">
              {confirmLabel}
            </button>
          </div>
        </div>
      </div>
    </div>
  )
}
