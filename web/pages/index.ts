import { accountPage } from './account.js'
import { forgotPasswordPage } from './forgot-password.js'
import { homePage } from './home.js'
import { loginPage } from './login.js'
import { newPostPage } from './new-post.js'
import { postPage } from './post.js'
import { registerPage } from './register.js'
import { resetPasswordPage } from './reset-password.js'
import { userPostsPage } from './user-posts.js'
import { verifyEmailPage } from './verify-email.js'

/** Each page's module, by the `data-page` of its body (src/pages/); the error page has none. */
export const pages: Record<string, () => void | Promise<void>> = {
  home: homePage,
  'user-posts': userPostsPage,
  post: postPage,
  'new-post': newPostPage,
  login: loginPage,
  register: registerPage,
  'forgot-password': forgotPasswordPage,
  'reset-password': resetPasswordPage,
  'verify-email': verifyEmailPage,
  account: accountPage,
}
