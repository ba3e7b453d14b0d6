import { createHash } from 'node:crypto'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { schema } from './schema'

export type Db = BetterSQLite3Database<typeof schema>

/** Reads a file of the drizzle-kit migrations folder (fs in tests, server assets in Nitro). */
export type MigrationReader = (path: string) => Promise<string | null>

export interface DatabaseHandle {
  db: Db
  sqlite: Database.Database
  close(): void
}

export async function openDatabase(file: string, readMigration: MigrationReader): Promise<DatabaseHandle> {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true })
    // Created owner-only before SQLite creates it: its -wal and -shm files take its mode.
    closeSync(openSync(file, 'a', 0o600))
  }
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  reuseStatements(sqlite)
  const db = drizzle(sqlite, { schema })
  await migrate(db, readMigration)
  return { db, sqlite, close: () => sqlite.close() }
}

/**
 * better-sqlite3 compiles SQL on every `prepare()`, and drizzle prepares each query it runs:
 * the engine's few hot statements were compiled anew thousands of times a minute. Compiled
 * statements are kept by their SQL (the most recently used, bounded). Drizzle turns a
 * statement to raw mode when it wants rows as arrays, so a reused one is turned back first.
 */
function reuseStatements(sqlite: Database.Database, max = 500) {
  const prepare = sqlite.prepare.bind(sqlite)
  const kept = new LRUCache<string, Database.Statement>({ max })
  sqlite.prepare = ((source: string) => {
    let stmt = kept.get(source)
    if (!stmt) kept.set(source, stmt = prepare(source))
    else if (stmt.reader) stmt.raw(false)
    return stmt
  }) as typeof sqlite.prepare
}

/**
 * Applies the committed drizzle-kit migrations. This is drizzle's own `migrate()` (same
 * bookkeeping table, same hashes), fed from a reader instead of a folder path, because in the
 * built server the migrations are bundled server assets, not files next to the code.
 */
async function migrate(db: Db, read: MigrationReader) {
  const journal = await read('meta/_journal.json')
  if (!journal) throw new Error('Database migrations are missing (meta/_journal.json)')
  const entries = (JSON.parse(journal) as { entries: { tag: string, when: number, breakpoints: boolean }[] }).entries
  const migrations = await Promise.all(entries.map(async (entry) => {
    const query = await read(`${entry.tag}.sql`)
    if (query === null) throw new Error(`Database migration ${entry.tag}.sql is missing`)
    return {
      sql: query.split('--> statement-breakpoint'),
      bps: entry.breakpoints,
      folderMillis: entry.when,
      hash: createHash('sha256').update(query).digest('hex'),
    }
  }))
  const internal = db as unknown as { dialect: { migrate(m: unknown, s: unknown, c: unknown): void }, session: unknown }
  internal.dialect.migrate(migrations, internal.session, { migrationsFolder: '' })
}
