import { preparedQuery, queryPrepared } from '../../db/prepared.js'
import type { EntityManager } from '../../db/orm.js'
import { ApiError } from '../../http/api-error.js'
import type { PostSource } from './posts.schemas.js'

// The public reads of posts, the service's hottest paths: prepared statements through the ORM's
// connection (src/db/prepared.ts), whose rows become responses without entities. Changes go
// through entities (posts.service.ts).

/** A post with its author, as every read of posts selects it. */
interface PostRow {
  id: number
  title: string
  content: string
  date_posted: number | string | Date
  author_id: number
  username: string
  image_file: string | null
}

const POST_COLUMNS = `p.id, p.title, p.content, p.date_posted, u.id as author_id, u.username, u.image_file`

const POST_BY_ID = preparedQuery('post_by_id', `select ${POST_COLUMNS} from posts p join users u on u.id = p.user_id where p.id = ?`)

export function toPostSource(row: PostRow): PostSource {
  return {
    id: row.id,
    title: row.title,
    content: row.content,
    datePosted: new Date(row.date_posted),
    author: { id: row.author_id, username: row.username, imageFile: row.image_file },
  }
}

export async function readPostOr404(em: EntityManager, id: number): Promise<PostSource> {
  const [row] = await queryPrepared<PostRow>(em, POST_BY_ID, [id])
  if (!row) throw new ApiError(404, 'Post not found')
  return toPostSource(row)
}
