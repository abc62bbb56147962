import { unauthorized } from '../../auth/current-user.js'
import { verifyDummyPassword, verifyPassword } from '../../auth/passwords.js'
import type { AppRouteHandler } from '../../http/router.js'
import { findUserByEmail } from '../users/users.queries.js'
import type * as routes from './auth.routes.js'

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { em, tokens } = c.var
  const { username: email, password } = c.req.valid('form')
  const user = await findUserByEmail(em, email, { withPasswordHash: true })
  if (!user) {
    await verifyDummyPassword(password)
    throw unauthorized('Incorrect email or password')
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw unauthorized('Incorrect email or password')
  }
  return c.json({ access_token: await tokens.issue(user.id), token_type: 'bearer' as const }, 200)
}
