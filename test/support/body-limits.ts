import { DEFAULT_PICTURE_MAX_BYTES } from '../../src/config/index.js'
import { MAX_BODY_BYTES } from '../../src/http/body-limit.js'
import { routeBodyLimits } from '../../src/routes/index.js'
import type { Operation } from './spec.js'

const ownLimits = routeBodyLimits({ pictureMaxBytes: DEFAULT_PICTURE_MAX_BYTES })

/** The most bytes the operation's request body may have (at the default settings), and its 413. */
export function bodyLimitOf(op: Operation): { maxBytes: number; detail: string } {
  const own = ownLimits.find((limit) => limit.method.toUpperCase() === op.method && limit.path === op.template)
  return own ?? { maxBytes: MAX_BODY_BYTES, detail: 'Request body too large' }
}
