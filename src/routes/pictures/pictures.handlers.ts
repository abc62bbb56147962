import { AppError } from '../../http/errors.js'
import { matchesIfNoneMatch, strongEtag } from '../../http/etag.js'
import type { AppRouteHandler } from '../../lib/router.js'
import { assertSelf, toUserPrivate } from '../../lib/users.js'
import type * as routes from './pictures.routes.js'
import * as pictures from './pictures.service.js'

const IMMUTABLE = 'public, max-age=31536000, immutable'

export const uploadPicture: AppRouteHandler<typeof routes.uploadPicture> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user, 'update')
  await pictures.uploadPicture(em, user, c.req.valid('form').file, c.var.pictureMaxBytes, c.var.picturePlace)
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(user), 200)
}

export const deletePicture: AppRouteHandler<typeof routes.deletePicture> = async (c) => {
  const { em, user } = c.var
  assertSelf(c.req.valid('param').user_id, user, 'update')
  await pictures.deletePicture(em, user)
  c.header('Cache-Control', 'no-store')
  return c.json(toUserPrivate(user), 200)
}

export const getPicture: AppRouteHandler<typeof routes.getPicture> = async (c) => {
  const picture = await pictures.getPicture(c.var.em, c.req.valid('param').name)
  if (!picture) throw new AppError('picture_not_found')
  const etag = strongEtag(picture.bytes)
  c.header('Cache-Control', IMMUTABLE)
  c.header('ETag', etag)
  if (matchesIfNoneMatch(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  // The bytes were made by the service, but a browser opening the URL still gets no chance to
  // read them as anything but the image they are, nor to run or load anything through them.
  c.header('Content-Security-Policy', "default-src 'none'")
  return c.body(new Uint8Array(picture.bytes), 200, { 'Content-Type': picture.contentType })
}
