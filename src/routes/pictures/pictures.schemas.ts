import { z } from '@hono/zod-openapi'
import { DEFAULT_PICTURE_MAX_BYTES } from '../../config/index.js'
import { formatBytes } from '../../http/body-limit.js'
import { PICTURE_NAME, PICTURE_NAME_LENGTH } from '../../rules/pictures.js'

// The multipart form around the file (boundaries, part headers, a file name) fits in this many
// bytes on top of the picture: the request body of an upload may be that much larger.
export const FORM_ALLOWANCE_BYTES = 16 * 1024

export const pictureTooLarge = (maxBytes: number) => `Picture larger than ${formatBytes(maxBytes)}`

export const PictureUploadSchema = z
  .object({
    file: z.file().openapi({
      type: 'string',
      format: 'binary',
      maxLength: DEFAULT_PICTURE_MAX_BYTES,
      description:
        `A JPEG, PNG or WebP image of at most ${formatBytes(DEFAULT_PICTURE_MAX_BYTES)} (PICTURE_MAX_BYTES), ` +
        "recognised by its bytes: the file's name and the part's Content-Type are ignored",
    }),
  })
  .openapi('PictureUpload')

export const PictureNameParams = z.object({
  name: z
    .string()
    .max(PICTURE_NAME_LENGTH)
    .regex(PICTURE_NAME)
    .openapi({ param: { name: 'name', in: 'path' }, example: '9f86d081884c7d659a2feaa0c55ad015.webp' }),
})

export const PictureBytesSchema = z.string().openapi({ format: 'binary' })
