import { ForeignKeyConstraintViolationException } from '@mikro-orm/core'
import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import { unauthorized } from '../../auth/current-user.js'
import { Post, User } from '../../db/entities/index.js'
import type { EntityManager } from '../../db/orm.js'
import { ApiError } from '../../http/api-error.js'
import type { Pagination } from '../integer-params.js'
import type { PostSource } from './posts.schemas.js'

/** Narrows a page of posts to one author; `{}` for every post. */
export interface PostFilter {
  author?: { id: number }
}

export interface PostSlice {
  posts: PostSource[]
  total: number
}

export interface PostChanges {
  title?: string
  content?: string
}

interface PageRow {
  id: number
  title: string
  content: string
  date_posted: number | string | Date
  author_id: number
  username: string
  image_file: string | null
  total: number | string
}

// The post list is the hottest read, so it is one hand-written statement through the ORM's
// connection: findAndCount compiles the SQL on every call, hydrates and tracks every post, and
// counts in a second round trip. Authors become User entities loaded with just the fields a post
// shows, as a find with `fields` would, so one mapper serves entities and rows.
//
// The page's ids come from a walk down one index that holds everything the walk needs
// (date_posted, id, and user_id for an author's page), so even a deep `skip` steps over index
// entries only; just the page's rows are then read with their authors. The total is never
// counted: triggers keep it in `counters` (every post) and users.post_count (one author's), in
// the same transaction as each write (see the migrations).
const PAGE_SQL = (where: string, total: string) => `
  select p.id, p.title, p.content, p.date_posted,
         u.id as author_id, u.username, u.image_file,
         (${total}) as total
  from (select id from posts ${where} order by date_posted desc, id desc limit ? offset ?) page
  join posts p on p.id = page.id
  join users u on u.id = p.user_id
  order by p.date_posted desc, p.id desc`

const ALL_POSTS = { where: '', total: "select value from counters where name = 'posts'" }
const BY_AUTHOR = { where: 'where user_id = ?', total: 'select post_count from users where id = ?' }

/**
 * One page of posts, newest first, with their authors and the total, in one statement whatever
 * the page size. A page past the end has no row to carry the total, so only then is it read on
 * its own.
 */
export async function findPostPage(em: EntityManager, filter: PostFilter, { skip, limit }: Pagination): Promise<PostSlice> {
  const authorId = filter.author?.id
  const { where, total } = authorId === undefined ? ALL_POSTS : BY_AUTHOR
  const params = authorId === undefined ? [] : [authorId]
  const rows = await em.execute<PageRow[]>(PAGE_SQL(where, total), [...params, ...params, limit, skip])
  const count = rows[0]?.total ?? (await em.execute<{ total: number }[]>(`select (${total}) as total`, params))[0]?.total ?? 0
  const posts = rows.map((row) => ({
    id: row.id,
    title: row.title,
    content: row.content,
    datePosted: new Date(row.date_posted),
    author: em.map(User, { id: row.author_id, username: row.username, image_file: row.image_file }),
  }))
  return { posts, total: Number(count) }
}

export async function getPostOr404(em: EntityManager, id: number): Promise<Post> {
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
