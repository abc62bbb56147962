import type { EntityManager } from './orm.js'

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
export async function deleteOtherPictures(tx: EntityManager, userId: number): Promise<void> {
  await tx.execute(DELETE_OTHER_PICTURES, [userId, userId], 'run')
}
