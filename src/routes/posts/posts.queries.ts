import type { EntityManager, FilterQuery } from '@mikro-orm/sqlite'
import { Post } from '../../db/entities/index.js'
import { ApiError } from '../../http/errors.js'
import { toPostResponse, type Pagination, type PostPage } from './posts.schemas.js'

/** One page of posts, newest first, authors joined in: the same two queries for any page size. */
export async function findPostPage(
  em: EntityManager,
  where: FilterQuery<Post>,
  { skip, limit }: Pagination,
): Promise<PostPage> {
  const [posts, total] = await em.findAndCount(Post, where, {
    populate: ['author'],
    strategy: 'joined',
    orderBy: { datePosted: 'desc', id: 'desc' },
    limit,
    offset: skip,
  })
  return { posts: posts.map(toPostResponse), total, skip, limit, has_more: skip + posts.length < total }
}

export async function findPostOr404(em: EntityManager, id: number): Promise<Post> {
  const post = await em.findOne(Post, id, { populate: ['author'] })
  if (!post) throw new ApiError(404, 'Post not found')
  return post
}
