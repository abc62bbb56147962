type ElementClass<T extends HTMLElement> = { new (): T; prototype: T }

/** The element with this id, which the server-rendered page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type?: ElementClass<T>): T {
  const element = document.getElementById(id)
  if (!element || !(element instanceof (type ?? HTMLElement))) {
    throw new Error(`#${id} is missing from the page or is not a ${type?.name ?? 'HTMLElement'}`)
  }
  return element as T
}

export function inputById(id: string): HTMLInputElement {
  return byId(id, HTMLInputElement)
}

type Props = Partial<Pick<HTMLAnchorElement & HTMLImageElement & HTMLTimeElement, 'className' | 'href' | 'src' | 'alt' | 'dateTime'>>

/** A new element; string children become text nodes, so user content is never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  Object.assign(element, props)
  element.append(...children)
  return element
}

/** A number the server put on the page's body, as `data-*`. */
export function pageNumber(name: string): number {
  return Number(document.body.dataset[name])
}

export function showMessage(alert: HTMLElement, message: string): void {
  alert.textContent = message
  alert.hidden = false
}

const NO_ANSWER = 'Could not reach the server. Please try again.'

/**
 * Runs an action started from `form` or a button: the buttons are disabled while it runs, the
 * alert is cleared first, and a request that got no answer at all is reported in the alert (and
 * rethrown, so it still reaches the console).
 */
async function run(buttons: Iterable<HTMLButtonElement>, alert: HTMLElement, action: () => Promise<void>) {
  alert.hidden = true
  const disabled = [...buttons]
  disabled.forEach((button) => (button.disabled = true))
  try {
    await action()
  } catch (error) {
    showMessage(alert, NO_ANSWER)
    throw error
  } finally {
    disabled.forEach((button) => (button.disabled = false))
  }
}

export function onSubmit(form: HTMLFormElement, alert: HTMLElement, action: () => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void run(form.querySelectorAll('button'), alert, action)
  })
}

export function onClick(button: HTMLButtonElement, alert: HTMLElement, action: () => Promise<void>): void {
  button.addEventListener('click', () => void run([button], alert, action))
}
