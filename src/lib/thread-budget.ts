// Argon2 and sharp run on libuv's thread pool, so the event loop keeps serving while a password
// is hashed or a picture made. The pool has four threads (Node's default UV_THREADPOOL_SIZE,
// which the server leaves alone), and node-sqlite3 runs every SQLite query there too. Each kind
// of heavy work has a share of the pool, and together they leave one thread to the database
// whatever runs: 4 - 2 - 1.

/** Password hashes (or verifications) at once: src/auth/passwords.ts. */
export const CONCURRENT_HASHES = 2

/** Profile pictures made at once: src/routes/pictures/pictures.processing.ts. */
export const CONCURRENT_PICTURES = 1
