import { createRoute } from '@hono/zod-openapi'
import { DEFAULT_PICTURE_MAX_BYTES } from '../../config/index.js'
import { formatBytes } from '../../http/body-limit.js'
import { multipartOnly } from '../../http/multipart.js'
import { authenticated, authenticatedVerified, errorResponse, jsonResponse, noStoreHeader, serverErrors } from '../../lib/route-helpers.js'
import { UserIdParams, UserPrivateSchema } from '../../lib/users.js'
import { MAX_INPUT_PIXELS, PICTURE_SIDE } from './pictures.processing.js'
import {
  FORM_ALLOWANCE_BYTES,
  PictureBytesSchema,
  PictureNameParams,
  PictureUploadSchema,
  pictureTooLarge,
} from './pictures.schemas.js'
import { takePicturePlace } from './pictures.queue.js'

const tags = ['pictures']
const forbidden = errorResponse('not_self_to_update')

export const uploadPicture = authenticatedVerified(
  {
    method: 'put',
    path: '/api/users/{user_id}/picture',
    operationId: 'uploadPicture',
    tags,
    summary: 'Upload your own profile picture (JPEG, PNG or WebP)',
    description:
      `The picture is turned upright by its EXIF orientation, cut to its centre square, scaled to ` +
      `${PICTURE_SIDE}x${PICTURE_SIDE} and stored as WebP without any metadata (no EXIF, GPS or ` +
      `colour profile). An animated image gives its first frame. It replaces any earlier picture, ` +
      `whose bytes are deleted, and is served at the new image_path. Uploads are made into ` +
      `pictures one at a time, in turns: past a few uploads in progress for one user, or more ` +
      `for everyone together, the upload is refused at once with 503 and Retry-After, before its ` +
      `body is read.`,
    request: {
      params: UserIdParams,
      body: {
        required: true,
        description: 'A multipart/form-data form with one part, `file`',
        content: { 'multipart/form-data': { schema: PictureUploadSchema } },
      },
    },
    responses: {
      200: { ...jsonResponse(UserPrivateSchema, 'The account with its new picture'), headers: noStoreHeader },
      400: errorResponse(
        'not_an_image',
        `File is not a JPEG, PNG or WebP image (or it is truncated, or declares more than ` +
          `${MAX_INPUT_PIXELS / 1_000_000} million pixels); or malformed multipart/form-data in request body`,
      ),
      403: forbidden,
      413: errorResponse(
        'picture_too_large',
        `${pictureTooLarge(DEFAULT_PICTURE_MAX_BYTES)} (PICTURE_MAX_BYTES); the whole request body may be ` +
          `${formatBytes(FORM_ALLOWANCE_BYTES)} larger, for the form around the file`,
        pictureTooLarge(DEFAULT_PICTURE_MAX_BYTES),
      ),
      503: errorResponse(
        'pictures_busy',
        'Too many picture uploads in progress, for this user (PICTURE_QUEUE_MAX_PER_USER) or for ' +
          'everyone (PICTURE_QUEUE_MAX); or the database cannot answer right now',
      ),
    },
  },
  takePicturePlace,
  multipartOnly,
)

export const deletePicture = authenticated({
  method: 'delete',
  path: '/api/users/{user_id}/picture',
  operationId: 'deletePicture',
  tags,
  summary: 'Remove your own profile picture (back to the default one)',
  request: { params: UserIdParams },
  responses: {
    200: { ...jsonResponse(UserPrivateSchema, 'The account with the default picture'), headers: noStoreHeader },
    403: forbidden,
  },
})

const header = (description: string) => ({ required: true, schema: { type: 'string' as const }, description })
const cacheControl = header('public, max-age=31536000, immutable: the bytes under a name never change')
const etag = header('A strong validator: the SHA-256 of the bytes')

// Plain createRoute: a picture URL takes no input to validate. Any name that is not a stored
// picture's, well formed or not, is a 404 (see index.ts), as for a file that is not there.
export const getPicture = createRoute({
  method: 'get',
  path: '/media/profile_pics/{name}',
  operationId: 'getPicture',
  tags,
  summary: "A profile picture, as a user's image_path names it",
  request: { params: PictureNameParams },
  responses: {
    200: {
      description: `The picture: a ${PICTURE_SIDE}x${PICTURE_SIDE} WebP image`,
      headers: {
        'Cache-Control': cacheControl,
        ETag: etag,
        'Content-Security-Policy': header("default-src 'none': the image can run nothing and load nothing"),
        'X-Content-Type-Options': header('nosniff'),
      },
      content: { 'image/webp': { schema: PictureBytesSchema } },
    },
    304: {
      description: "Not modified: If-None-Match names the picture's ETag",
      headers: { 'Cache-Control': cacheControl, ETag: etag },
    },
    404: errorResponse('picture_not_found'),
    ...serverErrors,
  },
})
