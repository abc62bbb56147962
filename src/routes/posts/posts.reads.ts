import { preparedQuery, queryPrepared } from '../../db/prepared.js'
import type { EntityManager } from '../../db/orm.js'
import type { Pagination } from '../../lib/integer-params.js'
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

// A page's ids come from a walk down one index that holds everything the walk needs
// (date_posted, id, and user_id for an author's page), so even a deep `skip` steps over index
// entries only; just the page's rows are then read with their authors. CROSS JOIN makes SQLite
// loop over those ids (left to right), where with JOIN it chose to scan every post by date and
// probe the page (docs/performance.md has the figures); PostgreSQL plans it as the inner join
// it is. The total is never counted: triggers keep it in `counters` (every post) and
// users.post_count (one author's), in the same transaction as each write (see the migrations).
const pageQuery = (name: string, where: string, total: string) => ({
  page: preparedQuery(
    `${name}_page`,
    `select ${POST_COLUMNS}, (${total}) as total
     from (select id from posts ${where} order by date_posted desc, id desc limit ? offset ?) page
     cross join posts p
     cross join users u
     where p.id = page.id and u.id = p.user_id
     order by p.date_posted desc, p.id desc`,
  ),
  total: preparedQuery(`${name}_total`, `${total}`),
})

const ALL_POSTS = pageQuery('posts', '', "select value as total from counters where name = 'posts'")
// No row when the user does not exist.
const BY_AUTHOR = pageQuery('author_posts', 'where user_id = ?', 'select post_count as total from users where id = ?')

export interface PostSlice {
  posts: PostSource[]
  total: number
}

/**
 * One page of posts, newest first, with their authors and the total, in one statement whatever
 * the page size. A page past the end has no row to carry the total, so only then is the total
 * read on its own; undefined when it has none (an author who does not exist).
 */
async function readPage(
  em: EntityManager,
  query: ReturnType<typeof pageQuery>,
  params: unknown[],
  { skip, limit }: Pagination,
): Promise<PostSlice | undefined> {
  const rows = await queryPrepared<PostRow & { total: number | string }>(em, query.page, [...params, ...params, limit, skip])
  const total = rows[0]?.total ?? (await queryPrepared<{ total: number | string }>(em, query.total, params))[0]?.total
  return total === undefined ? undefined : { posts: rows.map(toPostSource), total: Number(total) }
}

export async function readPostPage(em: EntityManager, paging: Pagination): Promise<PostSlice> {
  return (await readPage(em, ALL_POSTS, [], paging))!
}

/**
 * An author's page: as the first row carries the author, a user with posts costs one statement.
 * Undefined when there is no such user.
 */
export function readUserPostPage(em: EntityManager, authorId: number, paging: Pagination): Promise<PostSlice | undefined> {
  return readPage(em, BY_AUTHOR, [authorId], paging)
}

function toPostSource(row: PostRow): PostSource {
  return {
    id: row.id,
    title: row.title,
    content: row.content,
    datePosted: new Date(row.date_posted),
    author: { id: row.author_id, username: row.username, imageFile: row.image_file },
  }
}

export async function readPost(em: EntityManager, id: number): Promise<PostSource | undefined> {
  const [row] = await queryPrepared<PostRow>(em, POST_BY_ID, [id])
  return row && toPostSource(row)
}
