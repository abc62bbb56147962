import { z } from '@hono/zod-openapi'
import type { Post } from '../../db/entities/index.js'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { NOT_STORABLE_MESSAGE, STORABLE_TEXT } from '../../rules/text.js'
import { idParams, type Pagination } from '../../lib/integer-params.js'
import { toUserPublic, UserPublicSchema, type UserPublicSource } from '../../lib/users.js'

const postText = (label: string, max: number, example: string) =>
  z.string().min(1).max(max).regex(STORABLE_TEXT, `${label} ${NOT_STORABLE_MESSAGE}`).openapi({ example })

const Title = postText('Title', FIELD_LIMITS.title.max, 'My first post')
const Content = postText('Content', FIELD_LIMITS.content.max, 'Hello, world.')

const fullPost = { title: Title, content: Content }
const fullPostExample = { example: { title: 'My first post', content: 'Hello, world.' } }

export const PostIdParams = idParams('post_id')

export const PostCreateSchema = z.object(fullPost).openapi('PostCreate', fullPostExample)

export const PostReplaceSchema = z.object(fullPost).openapi('PostReplace', fullPostExample)

export const PostUpdateSchema = z
  .object({ title: Title.optional(), content: Content.optional() })
  .openapi('PostUpdate', { example: { title: 'A better title' } })

export const PostResponseSchema = z
  .object({
    id: z.int().openapi({ example: 1 }),
    title: z.string().openapi({ example: 'My first post' }),
    content: z.string().openapi({ example: 'Hello, world.' }),
    user_id: z.int().openapi({ example: 1 }),
    date_posted: z.iso.datetime().openapi({ example: '2026-11-27T17:00:00.000Z' }),
    author: UserPublicSchema,
  })
  .openapi('PostResponse')

export const PostPageSchema = z
  .object({
    posts: z.array(PostResponseSchema),
    total: z.int().openapi({ example: 42 }),
    skip: z.int().openapi({ example: 0 }),
    limit: z.int().openapi({ example: 10 }),
    has_more: z.boolean().openapi({ example: true }),
  })
  .openapi('PostPage')

export type PostResponse = z.infer<typeof PostResponseSchema>
export type PostPage = z.infer<typeof PostPageSchema>

/** What a response is built from: a Post entity, or a row read with its author. */
export type PostSource = Pick<Post, 'id' | 'title' | 'content' | 'datePosted'> & { author: UserPublicSource }

export function toPostResponse(post: PostSource): PostResponse {
  return {
    id: post.id,
    title: post.title,
    content: post.content,
    user_id: post.author.id,
    date_posted: post.datePosted.toISOString(),
    author: toUserPublic(post.author),
  }
}

export function toPostPage({ posts, total }: { posts: PostSource[]; total: number }, { skip, limit }: Pagination): PostPage {
  return { posts: posts.map(toPostResponse), total, skip, limit, has_more: skip + posts.length < total }
}
