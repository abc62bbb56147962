import { OpenAPIHono, type RouteConfig, type RouteConfigToEnv, type RouteHandler } from '@hono/zod-openapi'
import { validationHook } from '../http/validation.js'
import type { AppEnv } from './app-env.js'

/** Every router validates the same way, so every 422 has the same shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

/** A handler typed from its route: input, responses, and `c.var.user` behind authentication. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv & RouteConfigToEnv<R>>
