import { errorBody } from '../../http/error-handler.js'
import type { RouteBodyLimit } from '../../http/body-limit.js'
import { createRouter } from '../../lib/router.js'
import * as handlers from './pictures.handlers.js'
import * as routes from './pictures.routes.js'
import { FORM_ALLOWANCE_BYTES, pictureTooLarge } from './pictures.schemas.js'

export const picturesRouter = createRouter()
picturesRouter.openapi(routes.uploadPicture, handlers.uploadPicture)
picturesRouter.openapi(routes.deletePicture, handlers.deletePicture)
// A name that could not be a picture's names no picture: 404, as for any other.
picturesRouter.openapi(routes.getPicture, handlers.getPicture, (result, c) =>
  result.success ? undefined : errorBody(c, 'picture_not_found'),
)

/** The body limit of an upload: the picture limit, and room for the form around the file. */
export function uploadBodyLimit(pictureMaxBytes: number): RouteBodyLimit {
  const { method, path } = routes.uploadPicture
  return { method, path, maxBytes: pictureMaxBytes + FORM_ALLOWANCE_BYTES, detail: pictureTooLarge(pictureMaxBytes) }
}
