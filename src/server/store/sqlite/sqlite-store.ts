// The embedded SQLite store: one writer connection whose transactions queue on a mutex, and one
// read-only connection so that reads never see a write transaction that has not committed yet.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Mutex } from '../mutex.ts';
import type { MigrationReport, PullPage, PullQuery, Session, Store, Tx } from '../store.ts';
import { migrateSqlite } from './migrate.ts';
import { SqliteReads, SqliteTx, Statements } from './queries.ts';
import { RECORD_COLUMNS, USER_COLUMNS, toRecord, toUser, type RawRecord, type RawUser } from './rows.ts';

export const SQLITE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/sqlite/', import.meta.url));

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string;
  /** Where the migration files live; tests point it at a copy. */
  migrationsDir?: string;
}

export class SqliteStore extends SqliteReads implements Store {
  readonly kind = 'sqlite' as const;
  readonly #writer: Database.Database;
  readonly #reader: Database.Database;
  readonly #readerSql: Statements;
  readonly #tx: SqliteTx;
  readonly #mutex = new Mutex();
  readonly #migrationsDir: string;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    const writer = new Database(options.file);
    // WAL lets the reader connection read while the writer writes; FULL syncs the WAL on every
    // commit, so an acknowledged push survives a power cut (sync-protocol.md, invariant 15).
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.pragma('foreign_keys = ON');
    writer.pragma('busy_timeout = 5000');
    const reader = new Database(options.file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
    const readerSql = new Statements(reader);
    super(readerSql);
    this.#writer = writer;
    this.#reader = reader;
    this.#readerSql = readerSql;
    this.#tx = new SqliteTx(new Statements(writer));
    this.#migrationsDir = options.migrationsDir ?? SQLITE_MIGRATIONS_DIR;
  }

  async migrate(): Promise<MigrationReport> {
    return this.#mutex.run(async () => migrateSqlite(this.#writer, this.#migrationsDir));
  }

  async isEmpty(): Promise<boolean> {
    const r = this.#readerSql
      .get('SELECT (SELECT count(*) FROM communes) + (SELECT count(*) FROM users) AS n')
      .get() as { n: number };
    return r.n === 0;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      if (this.#closed) throw new Error('store is closed');
      // IMMEDIATE takes the write lock up front, so another process on the same file waits
      // (busy_timeout) at BEGIN rather than failing halfway through.
      this.#writer.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.#tx);
        this.#writer.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.#writer.inTransaction) this.#writer.exec('ROLLBACK');
        throw e;
      }
    });
  }

  async findSession(tokenHash: string): Promise<Session | null> {
    const cols = USER_COLUMNS.split(', ')
      .map((c) => `u.${c}`)
      .join(', ');
    const r = this.#readerSql
      .get(
        `SELECT ${cols}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND u.active = 1`,
      )
      .get(tokenHash) as (RawUser & { last_seen_at: string }) | undefined;
    return r ? { user: toUser(r), lastSeenAt: r.last_seen_at } : null;
  }

  async pullPage(q: PullQuery): Promise<PullPage> {
    const { where, params } = scopeClause(q);
    const tomb = q.includeTombstones ? '' : ' AND deleted = 0';
    const rowsStmt = this.#readerSql.get(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE version > ? AND ${where}${tomb} ORDER BY version LIMIT ?`,
    );
    const versionStmt = this.#readerSql.get('SELECT version FROM sync_state WHERE id = 1');
    // One read transaction: the rows and the global version come from the same snapshot.
    const read = this.#reader.transaction(() => {
      const rows = rowsStmt.all(q.afterVersion, ...params, q.limit) as RawRecord[];
      const v = versionStmt.get() as { version: number };
      return { rows: rows.map(toRecord), currentVersion: v.version };
    });
    return read();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#mutex.run(async () => {
      this.#closed = true;
      this.#reader.close();
      this.#writer.close();
    });
  }
}

function scopeClause(q: PullQuery): { where: string; params: string[] } {
  const s = q.scope;
  switch (s.kind) {
    case 'volunteer':
      return s.teamId === null
        ? { where: 'volunteer_id = ?', params: [s.userId] }
        : { where: '(volunteer_id = ? OR team_id = ?)', params: [s.userId, s.teamId] };
    case 'team':
      return { where: 'team_id = ?', params: [s.teamId] };
    case 'commune':
      return { where: 'commune_code = ?', params: [s.communeCode] };
  }
}

/** Open (creating if needed) the SQLite store at `file`. Call `migrate()` before use. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
