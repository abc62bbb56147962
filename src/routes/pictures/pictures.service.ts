import { randomBytes } from 'node:crypto'
import { Picture, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { ApiError } from '../../http/api-error.js'
import { PICTURE_CONTENT_TYPE, toProfilePicture } from './pictures.processing.js'
import { pictureTooLarge } from './pictures.schemas.js'

export const NOT_AN_IMAGE = 'File is not a JPEG, PNG or WebP image'
export const PICTURE_NOT_FOUND = 'Picture not found'

/** 128 random bits: nobody finds a picture by trying names, a deleted one neither. */
function newPictureName(): string {
  return `${randomBytes(16).toString('hex')}.webp`
}

// Every picture of the user but the one their image_file names as the database holds it now
// (every one of them when it is null), whatever this request last read.
const DELETE_OTHER_PICTURES = `
  delete from pictures
  where user_id = ? and name not in (select image_file from users where id = ? and image_file is not null)`

/**
 * Deletes the user's pictures that their image_file does not name. Run it in the transaction
 * that changed image_file, after that change: on PostgreSQL the user's row is then locked, so two
 * changes to one user's picture take turns and the last one leaves exactly its own picture.
 */
export async function deleteOtherPictures(tx: EntityManager, user: User): Promise<void> {
  await tx.execute(DELETE_OTHER_PICTURES, [user.id, user.id], 'run')
}

/** Makes the upload the user's picture, in place of any earlier one (whose bytes are deleted). */
export async function replacePicture(em: EntityManager, user: User, upload: File, maxBytes: number): Promise<void> {
  if (upload.size > maxBytes) throw new ApiError(413, pictureTooLarge(maxBytes))
  // Made before the transaction, which then holds its connection for three short statements only.
  const bytes = await toProfilePicture(new Uint8Array(await upload.arrayBuffer()))
  if (!bytes) throw new ApiError(400, NOT_AN_IMAGE)
  await storePicture(em, user, bytes)
}

/** Stores a processed picture as the user's one picture, under a new name. */
export async function storePicture(em: EntityManager, user: User, bytes: Buffer): Promise<void> {
  const name = newPictureName()
  await em.transactional(async (tx) => {
    tx.assign(user, { imageFile: name })
    await tx.flush()
    await deleteOtherPictures(tx, user)
    await tx.insert(Picture, { name, owner: user.id, bytes, contentType: PICTURE_CONTENT_TYPE, createdAt: new Date() })
  })
}

/** Back to the default picture; the user's picture is deleted. */
export async function removePicture(em: EntityManager, user: User): Promise<void> {
  await em.transactional(async (tx) => {
    tx.assign(user, { imageFile: null })
    await tx.flush()
    await deleteOtherPictures(tx, user)
  })
}

export async function getPictureOr404(em: EntityManager, name: string): Promise<Picture> {
  const picture = await em.findOne(Picture, name, { populate: ['bytes'] })
  if (!picture) throw new ApiError(404, PICTURE_NOT_FOUND)
  return picture
}
