import { Alert, ConfirmDialog, PostFields, SubmitButton } from './components.js'
import { Layout } from './layout.js'

/** A list the browser code fills one page at a time from the API. */
function PostList() {
  return (
    <>
      <Alert id="posts-error" />
      <div class="vstack gap-3" id="posts"></div>
      <p class="text-body-secondary" id="posts-empty" hidden>
        No posts yet.
      </p>
      <div class="text-center mt-4">
        <button class="btn btn-outline-primary" id="load-more" type="button" hidden>
          Load more
        </button>
      </div>
    </>
  )
}

export function HomePage() {
  return (
    <Layout title="Home" page="home">
      <h1 class="h3 mb-4">Latest posts</h1>
      <PostList />
    </Layout>
  )
}

export function UserPostsPage({ userId }: { userId: number }) {
  return (
    <Layout title="Posts" page="user-posts" data={{ 'user-id': userId }}>
      <h1 class="h3 mb-4" id="posts-heading">
        Posts
      </h1>
      <PostList />
    </Layout>
  )
}

export function PostPage({ postId }: { postId: number }) {
  return (
    <Layout title="Post" page="post" data={{ 'post-id': postId }}>
      <Alert id="post-error" />
      <div id="post"></div>
      <div class="mt-3" id="post-actions" hidden>
        <button class="btn btn-outline-secondary me-2" id="edit-post" type="button">
          Edit
        </button>
        <button class="btn btn-outline-danger" type="button" data-bs-toggle="modal" data-bs-target="#delete-post">
          Delete
        </button>
      </div>
      <form class="card card-body mt-3" id="edit-post-form" hidden>
        <h2 class="h5 mb-3">Edit post</h2>
        <Alert id="edit-post-error" />
        <PostFields prefix="edit" />
        <div class="d-flex gap-2">
          <SubmitButton label="Save" />
          <button class="btn btn-secondary" id="cancel-edit" type="button">
            Cancel
          </button>
        </div>
      </form>
      <ConfirmDialog id="delete-post" title="Delete post?" confirmLabel="Delete">
        <p>This post will be deleted for good.</p>
      </ConfirmDialog>
    </Layout>
  )
}

export function NewPostPage() {
  return (
    <Layout title="New post" page="new-post">
      <h1 class="h3 mb-4">New post</h1>
      <form id="new-post-form">
        <Alert id="new-post-error" />
        <PostFields prefix="new" />
        <SubmitButton label="Post" />
      </form>
    </Layout>
  )
}
