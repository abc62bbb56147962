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
    author: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
  }),
  // PostgreSQL does not index a foreign key by itself; SQLite's migrations always had this one.
  indexes: [
    { name: 'posts_date_posted_id_index', properties: ['datePosted', 'id'] },
    { name: 'posts_user_id_index', properties: ['author'] },
  ],
})

export type Post = InferEntity<typeof Post>
