import sharp from 'sharp'
import { createLimiter } from '../../auth/limiter.js'

/** Every stored picture is a square WebP of this many pixels a side. */
export const PICTURE_SIDE = 256
export const PICTURE_CONTENT_TYPE = 'image/webp'

/**
 * The most pixels an upload may declare: 40 megapixels (a 7,300 x 5,500 photo). A decompression
 * bomb declares far more in a small file; libvips refuses it from the header, before decoding.
 */
export const MAX_INPUT_PIXELS = 40_000_000

// libvips reads dozens of formats (SVG through librsvg, TIFF, HEIF, PDF...). A picture may be one
// of three, so no other loader ever runs on an upload's bytes: they refuse them as unknown.
sharp.block({ operation: ['VipsForeignLoad'] })
sharp.unblock({ operation: ['VipsForeignLoadJpegBuffer', 'VipsForeignLoadPngBuffer', 'VipsForeignLoadWebpBuffer'] })
// Every upload is new: libvips' operation cache would only hold decoded pixels in memory.
sharp.cache(false)

const FORMATS = new Set(['jpeg', 'png', 'webp'])

// sharp runs on libuv's thread pool, so the event loop keeps serving while a picture is made. The
// pool has four threads, shared with SQLite's queries and at most two password hashes
// (src/auth/passwords.ts): one picture at a time leaves a thread for the database whatever runs.
const MAX_CONCURRENT_PICTURES = 1
const limitProcessing = createLimiter(MAX_CONCURRENT_PICTURES)

/**
 * The profile picture made from an upload: turned upright by its EXIF orientation, the centre
 * square cut out and scaled to PICTURE_SIDE, encoded as WebP with no metadata at all (sharp
 * writes none unless asked to: no EXIF, GPS, XMP, IPTC or ICC profile survives). Undefined when
 * the bytes are not a whole JPEG, PNG or WebP image (an animated one gives its first frame).
 */
export function toProfilePicture(upload: Uint8Array): Promise<Buffer | undefined> {
  return limitProcessing(async () => {
    // The format is read from the bytes alone. libvips refuses a truncated or corrupt image
    // (failOn 'warning') and one over the pixel limit; whatever it refuses, the bytes were not a
    // picture it can make: the only input here is the upload.
    try {
      const image = sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'warning' })
      const { format } = await image.metadata()
      if (!FORMATS.has(format)) return undefined
      return await image.autoOrient().resize(PICTURE_SIDE, PICTURE_SIDE, { fit: 'cover', position: 'centre' }).webp().toBuffer()
    } catch {
      return undefined
    }
  })
}
