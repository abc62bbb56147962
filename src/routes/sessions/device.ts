import { UAParser } from 'ua-parser-js'

/** A short description of the device a User-Agent names, such as "Firefox 133 on Windows 10". */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device'
  const { browser, os } = new UAParser(userAgent).getResult()
  const app = [browser.name, browser.major].filter(Boolean).join(' ')
  const system = [os.name, os.version].filter(Boolean).join(' ')
  if (app && system) return `${app} on ${system}`
  return app || system || 'Unknown device'
}
