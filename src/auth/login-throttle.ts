export interface LoginThrottleLimits {
  maxFailuresPerEmail: number
  maxFailuresPerClient: number
  windowMs: number
}

interface Window {
  failures: number
  endsAt: number
}

const SWEEP_THRESHOLD = 10_000

/**
 * Counts failed logins per email and per client address in fixed windows that open at the first
 * failure. In memory, so it is per process: enough for one server, not for a fleet.
 */
export class LoginThrottle {
  readonly #windows = new Map<string, Window>()

  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the email or the client may try again, or 0 when a try is allowed now. */
  retryAfterSeconds(email: string, client: string): number {
    const waits = [
      this.#wait(`email:${email}`, this.limits.maxFailuresPerEmail),
      this.#wait(`client:${client}`, this.limits.maxFailuresPerClient),
    ]
    return Math.max(...waits)
  }

  recordFailure(email: string, client: string): void {
    this.#sweepIfLarge()
    this.#count(`email:${email}`)
    this.#count(`client:${client}`)
  }

  recordSuccess(email: string): void {
    this.#windows.delete(`email:${email}`)
  }

  #wait(key: string, max: number): number {
    const window = this.#current(key)
    if (!window || window.failures < max) return 0
    return Math.ceil((window.endsAt - this.now()) / 1000)
  }

  #count(key: string): void {
    const window = this.#current(key)
    if (window) window.failures += 1
    else this.#windows.set(key, { failures: 1, endsAt: this.now() + this.limits.windowMs })
  }

  #current(key: string): Window | undefined {
    const window = this.#windows.get(key)
    if (window && window.endsAt <= this.now()) {
      this.#windows.delete(key)
      return undefined
    }
    return window
  }

  #sweepIfLarge(): void {
    if (this.#windows.size < SWEEP_THRESHOLD) return
    const now = this.now()
    for (const [key, window] of this.#windows) if (window.endsAt <= now) this.#windows.delete(key)
  }
}
