import type { MiddlewareHandler } from 'hono'
import type { User } from '../db/entities/index.js'
import { AppError } from '../http/errors.js'

interface VerifiedEmailEnv {
  Variables: { user: User; requireVerifiedEmail: boolean }
}

/**
 * With REQUIRE_VERIFIED_EMAIL on, an account whose email is not verified may sign in, read and ask
 * for a new link, but not write: the routes that create, change or delete content answer 403.
 * Runs after the current-user middleware, before the request is read.
 */
export const requireVerifiedEmail: MiddlewareHandler<VerifiedEmailEnv> = async (c, next) => {
  if (c.var.requireVerifiedEmail && !c.var.user.emailVerified) throw new AppError('email_not_verified')
  await next()
}
