import { createRouter } from '../../lib/router.js'
import * as handlers from './posts.handlers.js'
import * as routes from './posts.routes.js'

export const postsRouter = createRouter()
postsRouter.openapi(routes.listPosts, handlers.listPosts)
postsRouter.openapi(routes.listUserPosts, handlers.listUserPosts)
postsRouter.openapi(routes.createPost, handlers.createPost)
postsRouter.openapi(routes.getPost, handlers.getPost)
postsRouter.openapi(routes.replacePost, handlers.replacePost)
postsRouter.openapi(routes.updatePost, handlers.updatePost)
postsRouter.openapi(routes.deletePost, handlers.deletePost)
