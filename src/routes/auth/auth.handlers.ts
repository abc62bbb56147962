import { unauthorized } from '../../auth/current-user.js'
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from '../../auth/passwords.js'
import { passwordVersion } from '../../auth/tokens.js'
import { User } from '../../db/entities/index.js'
import { ApiError } from '../../http/api-error.js'
import { clientAddress } from '../../http/client-address.js'
import { nameKey } from '../../rules/names.js'
import type { AppRouteHandler } from '../router.js'
import { findUserByEmail } from '../users/users.service.js'
import type * as routes from './auth.routes.js'

const TOO_MANY = 'Too many login attempts, try again later'

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { em, tokens, loginThrottle } = c.var
  const { username, password } = c.req.valid('form')
  // The email's key: every spelling of one address (case, full-width) finds one account and
  // counts against one limit.
  const email = nameKey(username)
  const client = clientAddress(c)

  // Checked before any hashing, so a flood of guesses costs no Argon2 work.
  const retryAfter = await loginThrottle.retryAfterSeconds(email, client)
  if (retryAfter > 0) throw new ApiError(429, TOO_MANY, { 'Retry-After': String(retryAfter) })

  const user = await findUserByEmail(em, email, { withPasswordHash: true })
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyDummyPassword(password)
  if (!user || !valid) {
    await loginThrottle.recordFailure(email, client)
    throw unauthorized('Incorrect email or password')
  }
  await loginThrottle.recordSuccess(email)

  if (needsRehash(user.passwordHash)) {
    user.passwordHash = await hashPassword(password)
    await em.flush()
  }
  const accessToken = await tokens.issue({ userId: user.id, passwordVersion: passwordVersion(user.passwordChangedAt) })
  c.header('Cache-Control', 'no-store')
  return c.json({ access_token: accessToken, token_type: 'bearer' as const }, 200)
}

export const changePassword: AppRouteHandler<typeof routes.changePassword> = async (c) => {
  const { em } = c.var
  const { current_password, new_password } = c.req.valid('json')
  const user = await em.findOneOrFail(User, c.var.user.id, { populate: ['passwordHash'] })
  if (!(await verifyPassword(user.passwordHash, current_password))) {
    throw new ApiError(400, 'Incorrect password')
  }
  if (new_password === current_password) {
    throw new ApiError(400, 'New password must be different from the current password')
  }
  user.passwordHash = await hashPassword(new_password)
  user.passwordChangedAt = new Date()
  await em.flush()
  return c.body(null, 204)
}
