import { getCurrentUser, signOut } from './auth.js'
import { byId } from './dom.js'

/** Shows the signed-in or the signed-out links (the server renders both, hidden). */
export async function showNavbar(): Promise<void> {
  const user = await getCurrentUser()
  byId('nav-username').textContent = user?.username ?? ''
  const avatar = byId('nav-avatar', HTMLImageElement)
  if (user) avatar.src = user.image_path
  else avatar.removeAttribute('src')
  byId('nav-signed-in').hidden = !user
  byId('nav-signed-out').hidden = Boolean(user)
}

export function setUpNavbar(): Promise<void> {
  byId('nav-logout').addEventListener('click', async () => {
    await signOut()
    window.location.assign('/')
  })
  return showNavbar()
}
