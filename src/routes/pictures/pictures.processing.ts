import sharp from 'sharp'
import type { PicturePlace } from './pictures.queue.js'

/** Every stored picture is a square WebP of this many pixels a side. */
export const PICTURE_SIDE = 256
export const PICTURE_CONTENT_TYPE = 'image/webp'

/**
 * The most pixels an upload may declare: 25 megapixels. That takes a 12-megapixel phone photo, a
 * 24-megapixel one (an iPhone's 5712 x 4284, a camera's 6000 x 4000) and a 5K screenshot; a photo
 * of more pixels hardly fits in PICTURE_MAX_BYTES (5 MiB is 1.7 bits a pixel at 25 megapixels,
 * below what phones write). What fits in 5 MiB with more pixels is mostly flat, made images: the
 * kind that is cheap to send and dear to decode, since a PNG or WebP is decoded at full size, and
 * an interlaced PNG or a progressive JPEG whole, at once (a 16-bit RGBA interlaced PNG: 8 bytes a
 * pixel, about 250 MiB and a second of a thread at 25 megapixels, 60% more at 40). A larger
 * decompression bomb is refused from its header, before anything is decoded.
 */
export const MAX_INPUT_PIXELS = 25_000_000

// libvips reads dozens of formats (SVG through librsvg, TIFF, HEIF, PDF...). A picture may be one
// of three, so no other loader ever runs on an upload's bytes: they refuse them as unknown.
sharp.block({ operation: ['VipsForeignLoad'] })
sharp.unblock({ operation: ['VipsForeignLoadJpegBuffer', 'VipsForeignLoadPngBuffer', 'VipsForeignLoadWebpBuffer'] })
// Every upload is new: libvips' operation cache would only hold decoded pixels in memory.
sharp.cache(false)

const FORMATS = new Set(['jpeg', 'png', 'webp'])

/**
 * The profile picture made from an upload, in the upload's turn in the picture queue (one picture
 * at a time: src/lib/thread-budget.ts): turned upright by its EXIF orientation, the centre square
 * cut out and scaled to PICTURE_SIDE, encoded as WebP with no metadata at all (sharp writes none
 * unless asked to: no EXIF, GPS, XMP, IPTC or ICC profile survives). Undefined when the bytes are
 * not a whole JPEG, PNG or WebP image (an animated one gives its first frame).
 */
export function toProfilePicture(upload: Blob, place: PicturePlace): Promise<Buffer | undefined> {
  return place.inTurn(async () => {
    // Read only now, so an upload waiting for its turn holds one copy of its bytes (the File the
    // form parser made), not two; sharp and libvips read this one through a view, copying nothing.
    const input = Buffer.from(await upload.arrayBuffer())
    // The format is read from the bytes alone. libvips refuses a truncated or corrupt image
    // (failOn 'warning') and one over the pixel limit; whatever it refuses, the bytes were not a
    // picture it can make: the only input here is the upload.
    try {
      const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'warning' })
      const { format } = await image.metadata()
      if (!FORMATS.has(format)) return undefined
      return await image.autoOrient().resize(PICTURE_SIDE, PICTURE_SIDE, { fit: 'cover', position: 'centre' }).webp().toBuffer()
    } catch {
      return undefined
    }
  })
}
