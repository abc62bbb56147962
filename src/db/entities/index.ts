export { PasswordResetToken } from './password-reset-token.entity.js'
export { Post } from './post.entity.js'
export { RateLimit } from './rate-limit.entity.js'
export { User } from './user.entity.js'
