import { errorMessage, formData, type UserPrivate } from '../../client/index.js'
import { api } from '../api.js'
import { setCurrentUser } from '../auth.js'
import { byId, inputById, onClick, onSubmit, showMessage } from '../dom.js'
import { showNavbar } from '../navbar.js'
import { showDetails } from './details.js'

/** Reads a chosen file as a data: URL, which the pages' policy allows as an image source. */
function dataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.addEventListener('load', () => resolve(String(reader.result)))
    reader.addEventListener('error', () => reject(reader.error))
    reader.readAsDataURL(file)
  })
}

/**
 * The picture card: a chosen file is previewed before anything is sent; Upload sends it, Remove
 * goes back to the default picture. The account's avatar and the navbar follow.
 */
export function setUpProfilePicture(initial: UserPrivate): void {
  let user = initial
  const form = byId('picture-form', HTMLFormElement)
  const alert = byId('picture-error')
  const saved = byId('picture-saved')
  const image = byId('picture-image', HTMLImageElement)
  const caption = byId('picture-caption')
  const input = inputById('picture-file')
  const remove = byId('picture-remove', HTMLButtonElement)
  const path = () => ({ user_id: user.id })

  const showCurrent = () => {
    image.src = user.image_path
    caption.textContent = user.image_file ? 'Your picture' : 'The default picture'
    remove.hidden = !user.image_file
  }
  const changed = async (next: UserPrivate, message: string) => {
    user = next
    setCurrentUser(next)
    form.reset()
    showCurrent()
    showDetails(next)
    await showNavbar()
    showMessage(saved, message)
  }

  showCurrent()
  input.addEventListener('change', async () => {
    saved.hidden = true
    alert.hidden = true
    const file = input.files?.[0]
    if (!file) return showCurrent()
    image.src = await dataUrl(file)
    caption.textContent = 'Preview: not uploaded yet'
  })
  image.addEventListener('error', () => {
    if (input.files?.length) caption.textContent = 'No preview: this file may not be a picture'
  })

  onSubmit(form, alert, async () => {
    saved.hidden = true
    const file = input.files?.[0]
    if (!file) return
    const { data, error } = await api.PUT('/api/users/{user_id}/picture', {
      params: { path: path() },
      body: { file },
      bodySerializer: formData,
    })
    if (!data) return showMessage(alert, errorMessage(error))
    await changed(data, 'Your picture has been updated.')
  })

  onClick(remove, alert, async () => {
    saved.hidden = true
    const { data, error } = await api.DELETE('/api/users/{user_id}/picture', { params: { path: path() } })
    if (!data) return showMessage(alert, errorMessage(error))
    await changed(data, 'Your picture has been removed.')
  })
}
