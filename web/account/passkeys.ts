import { errorMessage, type components } from '../../client/index.js'
import { api } from '../api.js'
import { byId, h, inputById, onClick, onSubmit, showMessage } from '../dom.js'
import { browserSupportsWebAuthn, createPasskey, passkeyFailure } from '../passkeys.js'
import { FIELD_LIMITS } from '../../src/rules/fields.js'

type Passkey = components['schemas']['Passkey']

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const time = (iso: string) => h('time', { dateTime: iso }, timeFormat.format(new Date(iso)))

const alert = () => byId('passkeys-error')

function button(label: string, className: string, ariaLabel: string): HTMLButtonElement {
  const made = h('button', { className }, label)
  made.type = 'button'
  made.setAttribute('aria-label', ariaLabel)
  return made
}

/** The passkey's name with Rename and Remove; Rename turns the name into a field with Save and Cancel. */
function passkeyItem(passkey: Passkey): HTMLElement {
  const details = h(
    'div',
    { className: 'small text-body-secondary' },
    'Added ',
    time(passkey.created_at),
    ' · ',
    ...(passkey.last_used_at ? ['Last used ', time(passkey.last_used_at)] : ['Not used yet']),
    ...(passkey.backed_up ? [' · Synced to your other devices'] : []),
  )
  const name = h('div', { className: 'fw-semibold passkey-name' }, passkey.name)
  const rename = button('Rename', 'btn btn-sm btn-outline-secondary', `Rename ${passkey.name}`)
  const remove = button('Remove', 'btn btn-sm btn-outline-danger', `Remove ${passkey.name}`)
  const item = h('li', { className: 'list-group-item d-flex flex-wrap align-items-center gap-2' }, h('div', { className: 'me-auto text-break' }, name, details), rename, remove)

  onClick(rename, alert(), async () => {
    const field = h('input', { className: 'form-control form-control-sm' })
    field.value = passkey.name
    field.maxLength = FIELD_LIMITS.passkeyName.max
    field.required = true
    field.setAttribute('aria-label', 'New name')
    const save = h('button', { className: 'btn btn-sm btn-primary' }, 'Save')
    const cancel = button('Cancel', 'btn btn-sm btn-outline-secondary', 'Cancel renaming')
    const form = h('form', { className: 'd-flex gap-2 w-100' }, field, save, cancel)
    const editing = h('li', { className: 'list-group-item' }, form)
    cancel.addEventListener('click', () => editing.replaceWith(item))
    onSubmit(form, alert(), async () => {
      const { data, error } = await api.PATCH('/api/users/me/passkeys/{passkey_id}', {
        params: { path: { passkey_id: passkey.id } },
        body: { name: field.value },
      })
      if (!data) return showMessage(alert(), errorMessage(error))
      await showPasskeys()
    })
    item.replaceWith(editing)
    field.focus()
  })

  onClick(remove, alert(), async () => {
    const { response, error } = await api.DELETE('/api/users/me/passkeys/{passkey_id}', { params: { path: { passkey_id: passkey.id } } })
    if (!response.ok) return showMessage(alert(), errorMessage(error))
    showMessage(byId('passkeys-saved'), `The passkey "${passkey.name}" was removed.`)
    await showPasskeys()
  })
  return item
}

/** Lists the account's passkeys again, as they are now. */
async function showPasskeys(): Promise<void> {
  const { data, error } = await api.GET('/api/users/me/passkeys')
  if (!data) return showMessage(alert(), errorMessage(error))
  byId('passkeys-list').replaceChildren(...data.map(passkeyItem))
  byId('passkeys-none').hidden = data.length > 0
}

/** The "Passkeys" card: the list, each renamed or removed in place, and a new one added under a name. */
export function setUpPasskeys(): void {
  const form = byId('passkeys-add-form', HTMLFormElement)
  const saved = byId('passkeys-saved')
  if (browserSupportsWebAuthn()) form.hidden = false
  else byId('passkeys-unsupported').hidden = false

  onSubmit(form, alert(), async () => {
    saved.hidden = true
    const options = await api.POST('/api/users/me/passkeys/options')
    if (!options.data) return showMessage(alert(), errorMessage(options.error))
    let response
    try {
      response = await createPasskey(options.data)
    } catch (error) {
      return showMessage(alert(), passkeyFailure(error))
    }
    const name = inputById('passkey-name').value
    const { data, error } = await api.POST('/api/users/me/passkeys', { body: { name, response } })
    if (!data) return showMessage(alert(), errorMessage(error))
    form.reset()
    showMessage(saved, `The passkey "${data.name}" was added: you can now sign in with it.`)
    await showPasskeys()
  })
  void showPasskeys().catch(() => showMessage(alert(), 'Could not load your passkeys. Please reload the page.'))
}
