import { errorMessage, type components } from '../../client/index.js'
import { api } from '../api.js'
import { byId, h, onClick, showMessage } from '../dom.js'

type Session = components['schemas']['Session']

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const time = (iso: string) => h('time', { dateTime: iso }, timeFormat.format(new Date(iso)))

function sessionItem(session: Session): HTMLElement {
  const heading = h('div', { className: 'fw-semibold' }, session.device)
  if (session.current) heading.append(' ', h('span', { className: 'badge text-bg-success' }, 'This device'))
  const details = h(
    'div',
    { className: 'small text-body-secondary' },
    `${session.client_address} · Last used `,
    time(session.last_used_at),
    ' · Signed in ',
    time(session.created_at),
  )
  const item = h(
    'li',
    { className: 'list-group-item d-flex flex-wrap align-items-center gap-2' },
    h('div', { className: 'me-auto text-break' }, heading, details),
  )
  if (!session.current) {
    const end = h('button', { className: 'btn btn-sm btn-outline-danger' }, 'Sign out')
    end.type = 'button'
    end.setAttribute('aria-label', `Sign out ${session.device}, ${session.client_address}`)
    const alert = byId('sessions-error')
    onClick(end, alert, async () => {
      const { error, response } = await api.DELETE('/api/users/me/sessions/{session_id}', { params: { path: { session_id: session.id } } })
      if (!response.ok) showMessage(alert, errorMessage(error))
      await showSessions()
    })
    item.append(end)
  }
  return item
}

/** Lists the account's sessions again, as they are now. */
export async function showSessions(): Promise<void> {
  const { data, error } = await api.GET('/api/users/me/sessions')
  if (!data) return showMessage(byId('sessions-error'), errorMessage(error))
  byId('sessions-list').replaceChildren(...data.map(sessionItem))
  byId('sessions-end-others').hidden = data.every((session) => session.current)
}

/** The "Where you're signed in" card: each session, one button per other one, and one for all others. */
export function setUpSessions(): void {
  const alert = byId('sessions-error')
  onClick(byId('sessions-end-others', HTMLButtonElement), alert, async () => {
    const { error, response } = await api.DELETE('/api/users/me/sessions')
    if (!response.ok) showMessage(alert, errorMessage(error))
    await showSessions()
  })
  void showSessions().catch(() => showMessage(alert, 'Could not load your sessions. Please reload the page.'))
}
