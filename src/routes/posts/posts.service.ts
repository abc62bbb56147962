import { ForeignKeyConstraintViolationException } from '@mikro-orm/core'
import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import { unauthorized } from '../../auth/current-user.js'
import { Post, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { ApiError } from '../../http/api-error.js'

export interface PostChanges {
  title?: string
  content?: string
}

async function getPostOr404(em: EntityManager, id: number): Promise<Post> {
  const post = await em.findOne(Post, id, { populate: ['author'] })
  if (!post) throw new ApiError(404, 'Post not found')
  return post
}

// Existence is checked before ownership: a post is public, so its 404 tells nobody anything.
function assertAuthor(post: Post, caller: User, action: 'update' | 'delete'): void {
  if (post.author.id !== caller.id) throw new ApiError(403, `Not authorized to ${action} this post`)
}

/** A new post by the caller; an account deleted while the request ran is a 401, as it would be a moment later. */
export async function createPost(em: EntityManager, author: User, fields: Required<PostChanges>): Promise<Post> {
  const post = em.create(Post, { ...fields, author })
  try {
    await em.flush()
  } catch (error) {
    if (error instanceof ForeignKeyConstraintViolationException) throw unauthorized('User not found')
    throw error
  }
  return post
}

/** PUT sends both fields, PATCH some: only the fields given change. */
export async function changePost(em: EntityManager, caller: User, postId: number, changes: PostChanges): Promise<Post> {
  const post = await getPostOr404(em, postId)
  assertAuthor(post, caller, 'update')
  em.assign(post, changes)
  await em.flush()
  return post
}

export async function deletePost(em: EntityManager, caller: User, postId: number): Promise<void> {
  if (!(em.getDriver() instanceof PostgreSqlDriver)) return removePost(em, caller, postId)
  // The count trigger locks the author's row after the post's; deleting a user locks them the
  // other way round (the user's row, then the cascade's posts). So the author's row is locked
  // first here too, and a post deleted while its author's account goes waits instead of
  // deadlocking. SQLite has one writer at a time.
  await em.transactional(async (tx) => {
    await tx.execute('select 1 from users where id = ? for no key update', [caller.id])
    await removePost(tx, caller, postId)
  })
}

async function removePost(em: EntityManager, caller: User, postId: number): Promise<void> {
  const post = await getPostOr404(em, postId)
  assertAuthor(post, caller, 'delete')
  await em.remove(post).flush()
}
