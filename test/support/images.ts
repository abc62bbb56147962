import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

// Every image a test uploads is made here, at run time: no binary fixtures.

const RED = { r: 255, g: 0, b: 0 }
const BLUE = { r: 0, g: 0, b: 255 }

/** A width x height RGB image whose left half is red and right half blue. */
function redLeftBlueRight(width: number, height: number) {
  const blue = { create: { width: width / 2, height, channels: 3 as const, background: BLUE } }
  return sharp({ create: { width, height, channels: 3, background: RED } }).composite([{ input: blue, left: width / 2, top: 0 }])
}

/**
 * A photo as a phone stores it: EXIF with GPS coordinates, orientation 6 (turn 90° clockwise to
 * show it) and a Display P3 colour profile. As stored it is 400x200, red left and blue right;
 * shown upright it is 200x400, red on top and blue below.
 */
export async function phoneJpeg(): Promise<Buffer> {
  const stored = await redLeftBlueRight(400, 200).png().toBuffer()
  return sharp(stored)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'Phone', Model: 'Camera' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 2652/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3966/100' },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .toBuffer()
}

/** EXIF's GPS directory, as its tag (0x8825) is written in a little-endian TIFF header. */
export const hasGpsTag = (exif: Buffer | undefined) => exif !== undefined && exif.includes(Buffer.from([0x25, 0x88]))

/** A 64x64 PNG, fully transparent but for an opaque green 32x32 square in the middle. */
export function transparentPng(): Promise<Buffer> {
  const square = { create: { width: 32, height: 32, channels: 4 as const, background: { r: 0, g: 255, b: 0, alpha: 1 } } }
  return sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: square, left: 16, top: 16 }])
    .png()
    .toBuffer()
}

/** An animated WebP of two 40x30 frames: red, then blue. */
export async function animatedWebp(): Promise<Buffer> {
  const frame = (background: typeof RED) => sharp({ create: { width: 40, height: 30, channels: 3, background } }).png().toBuffer()
  return sharp([await frame(RED), await frame(BLUE)], { join: { animated: true } }).webp({ loop: 0 }).toBuffer()
}

export function onePixelPng(): Promise<Buffer> {
  return sharp({ create: { width: 1, height: 1, channels: 3, background: RED } }).png().toBuffer()
}

/** A JPEG of width x height pixels of noise: large, as photos are (quality 90). */
export function noisyJpeg(width: number, height: number, quality = 90): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: RED, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality })
    .toBuffer()
}

/** The first half of a JPEG: its header is whole, its image data cut off. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await noisyJpeg(64, 64)
  return whole.subarray(0, Math.floor(whole.length / 2))
}

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>',
)

export const HTML_NAMED_JPG = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A PNG built byte by byte: an IHDR declaring width x height (8-bit RGB) and image data for its
 * first `rows` rows, all black. With every row it is a whole, valid image; with fewer it is a
 * small file that declares far more pixels than it holds (a decompression bomb's header).
 */
export function craftedPng(width: number, height: number, rows = height): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // bit depth 8, RGB, deflate, no filter, no interlace
  const pixels = Buffer.alloc(rows * (1 + width * 3)) // each row: filter type 0, then black pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}
