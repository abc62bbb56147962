import { randomBytes } from 'node:crypto'
import { Picture, type User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { deleteOtherPictures } from '../../db/pictures.js'
import { AppError } from '../../http/errors.js'
import { PICTURE_CONTENT_TYPE, toProfilePicture } from './pictures.processing.js'
import type { PicturePlace } from './pictures.queue.js'
import { pictureTooLarge } from './pictures.schemas.js'

/** 128 random bits: nobody finds a picture by trying names, a deleted one neither. */
function newPictureName(): string {
  return `${randomBytes(16).toString('hex')}.webp`
}

/**
 * Makes the upload the user's picture, in place of any earlier one (whose bytes are deleted). The
 * picture is made in the upload's turn at `place` (see pictures.queue.ts).
 */
export async function uploadPicture(em: EntityManager, user: User, upload: File, maxBytes: number, place: PicturePlace): Promise<void> {
  if (upload.size > maxBytes) throw new AppError('picture_too_large', { detail: pictureTooLarge(maxBytes) })
  // Made before the transaction, which then holds its connection for three short statements only.
  const bytes = await toProfilePicture(upload, place)
  if (!bytes) throw new AppError('not_an_image')
  await storePicture(em, user, bytes)
}

/** Stores a processed picture as the user's one picture, under a new name. */
export async function storePicture(em: EntityManager, user: User, bytes: Buffer): Promise<void> {
  const name = newPictureName()
  await em.transactional(async (tx) => {
    tx.assign(user, { imageFile: name })
    await tx.flush()
    await deleteOtherPictures(tx, user.id)
    await tx.insert(Picture, { name, owner: user.id, bytes, contentType: PICTURE_CONTENT_TYPE, createdAt: new Date() })
  })
}

/** Back to the default picture; the user's picture is deleted. */
export async function deletePicture(em: EntityManager, user: User): Promise<void> {
  await em.transactional(async (tx) => {
    tx.assign(user, { imageFile: null })
    await tx.flush()
    await deleteOtherPictures(tx, user.id)
  })
}

export function getPicture(em: EntityManager, name: string): Promise<Picture | null> {
  return em.findOne(Picture, name, { populate: ['bytes'] })
}
