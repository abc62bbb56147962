import { inspect } from 'node:util'

const MASK = '**********'

/** Holds a secret so that logging, JSON and inspection only ever show a mask. */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  toString(): string {
    return MASK
  }

  toJSON(): string {
    return MASK
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`
  }
}
