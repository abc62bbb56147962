export { Post } from './post.entity.js'
export { User } from './user.entity.js'
