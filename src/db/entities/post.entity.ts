import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { FIELD_LIMITS } from '../../rules/fields.js'
import { User } from './user.entity.js'

export const Post = defineEntity({
  name: 'Post',
  tableName: 'posts',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    title: p.string().length(FIELD_LIMITS.title.max),
    content: p.text(),
    datePosted: p.datetime().onCreate(() => new Date()),
    // No index of its own: the author's index below leads with user_id (SQLite would add one).
    author: p.manyToOne(User).fieldName('user_id').deleteRule('cascade').index(false),
  }),
  // The two orders pages are read in, newest first: every post, and one author's. Each walk of an
  // index reads only the rows of its page, and the author's one also serves the foreign key
  // (PostgreSQL does not index one by itself).
  indexes: [
    { name: 'posts_date_posted_id_index', properties: ['datePosted', 'id'] },
    { name: 'posts_user_id_date_posted_id_index', properties: ['author', 'datePosted', 'id'] },
  ],
})

export type Post = InferEntity<typeof Post>
