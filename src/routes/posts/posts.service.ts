import { ForeignKeyConstraintViolationException } from '@mikro-orm/core'
import { Post, User } from '../../db/entities/index.js'
import { lockUserRow } from '../../db/locks.js'
import type { EntityManager } from '../../db/orm.js'
import { AppError } from '../../http/errors.js'

export interface PostChanges {
  title?: string
  content?: string
}

// Existence is checked before authorship: a post is public, so its 404 tells nobody anything.
async function findOwnPost(em: EntityManager, user: User, postId: number, action: 'update' | 'delete'): Promise<Post> {
  const post = await em.findOne(Post, postId, { populate: ['author'] })
  if (!post) throw new AppError('post_not_found')
  if (post.author.id !== user.id) throw new AppError(action === 'update' ? 'not_author_to_update' : 'not_author_to_delete')
  return post
}

/** A new post by the user; an account deleted while the request ran is a 401, as it would be a moment later. */
export async function createPost(em: EntityManager, author: User, fields: Required<PostChanges>): Promise<Post> {
  const post = em.create(Post, { ...fields, author })
  try {
    await em.flush()
  } catch (error) {
    if (error instanceof ForeignKeyConstraintViolationException) throw new AppError('account_gone')
    throw error
  }
  return post
}

/** PUT sends both fields, PATCH some: only the fields given change. */
export async function updatePost(em: EntityManager, user: User, postId: number, changes: PostChanges): Promise<Post> {
  const post = await findOwnPost(em, user, postId, 'update')
  em.assign(post, changes)
  await em.flush()
  return post
}

/**
 * The count trigger locks the author's row after the post's; deleting a user locks them the
 * other way round (the user's row, then the cascade's posts). So the author's row is locked
 * first here too, and a post deleted while its author's account goes waits instead of
 * deadlocking.
 */
export async function deletePost(em: EntityManager, user: User, postId: number): Promise<void> {
  await em.transactional(async (tx) => {
    await lockUserRow(tx, user.id)
    const post = await findOwnPost(tx, user, postId, 'delete')
    await tx.remove(post).flush()
  })
}
