// The PostgreSQL store: one pg Pool per process behind the Store contract, safe with several processes
// on one database (a counter row lock orders writes, an advisory lock guards migrations).
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PoolClient } from 'pg';
import {
  TemporaryStoreError,
  type ConflictQuery,
  type HistoryRow,
  type MigrationReport,
  type PruneReport,
  type PullPage,
  type PullQuery,
  type Session,
  type Store,
  type Tx,
} from '../store.ts';
import { isRetryable, storeError } from './errors.ts';
import { migratePostgres } from './migrate.ts';
import { PgReads, PgTx, scopeClause } from './queries.ts';
import {
  HISTORY_COLUMNS,
  PG_TYPES,
  RECORD_COLUMNS,
  USER_COLUMNS,
  prefixed,
  toHistory,
  toRecord,
  toUser,
  type PgHistory,
  type PgRecord,
  type PgUser,
} from './rows.ts';
import { checkSchemaName } from './url.ts';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/postgres/', import.meta.url));

/** A transaction that hit a serialization failure or deadlock runs again up to this many times in all. */
const MAX_ATTEMPTS = 4;

export interface PostgresStoreOptions {
  /** postgres://… without the `schema` parameter (see url.ts). */
  connectionString: string;
  /** Keep every table in this schema (created at migrate if missing); null: the default search_path. */
  schema?: string | null;
  migrationsDir?: string;
  /** Connections per process (default 10). */
  poolMax?: number;
  /** Waiting for a free connection or for a new one longer than this answers 503 (default 5 s). */
  connectTimeoutMs?: number;
  /** Waiting for a row lock (another process's write) longer than this answers 503 (default 10 s). */
  lockTimeoutMs?: number;
  /** Any statement running longer than this is cancelled and answers 503 (default 30 s). */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity (default `sotay`). */
  applicationName?: string;
}

export class PostgresStore extends PgReads implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #schema: string | null;
  readonly #migrationsDir: string;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    const schema = options.schema ? checkSchemaName(options.schema) : null;
    const settings = [
      `-c lock_timeout=${Math.max(0, Math.floor(options.lockTimeoutMs ?? 10_000))}`,
      `-c statement_timeout=${Math.max(0, Math.floor(options.statementTimeoutMs ?? 30_000))}`,
    ];
    if (schema !== null) settings.unshift(`-c search_path=${schema}`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'sotay',
      options: settings.join(' '),
      types: PG_TYPES,
    });
    // An idle connection that dies (server restart, network cut) is dropped by the pool; without a
    // listener the 'error' event would crash the process.
    pool.on('error', () => undefined);
    super(pool);
    this.#pool = pool;
    this.#schema = schema;
    this.#migrationsDir = options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR;
  }

  /** Run `fn` on one checked-out client; a client that failed is destroyed instead of reused. */
  async #withClient<T>(fn: (client: PoolClient, discard: (e: Error) => void) => Promise<T>): Promise<T> {
    if (this.#closed) throw new TemporaryStoreError('the PostgreSQL store is closed');
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (e) {
      throw storeError(e);
    }
    let broken: Error | undefined;
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    try {
      return await fn(client, onError);
    } catch (e) {
      throw storeError(e);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** BEGIN … COMMIT on one client; ROLLBACK on any failure (a failed ROLLBACK destroys the client). */
  async #inTransaction<T>(begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#withClient(async (client, discard) => {
          await client.query(begin);
          try {
            const out = await fn(client);
            await client.query('COMMIT');
            return out;
          } catch (e) {
            // If even ROLLBACK fails the connection is gone (the server rolls back on its own):
            // never hand that client to the next request.
            await client.query('ROLLBACK').catch(() => discard(new Error('ROLLBACK failed')));
            throw e;
          }
        });
      } catch (e) {
        const cause = e instanceof TemporaryStoreError ? e.cause : e;
        if (attempt < MAX_ATTEMPTS && isRetryable(cause)) {
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
          continue;
        }
        throw e;
      }
    }
  }

  async migrate(): Promise<MigrationReport> {
    return this.#withClient((client) => migratePostgres(client, this.#migrationsDir, this.#schema));
  }

  async isEmpty(): Promise<boolean> {
    const [r] = await this.rows<{ n: number }>(
      'SELECT (SELECT count(*) FROM communes) + (SELECT count(*) FROM users) AS n',
    );
    return (r?.n ?? 0) === 0;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#inTransaction('BEGIN', (client) => fn(new PgTx(client)));
  }

  async findSession(tokenHash: string): Promise<Session | null> {
    const [r] = await this.rows<PgUser & { last_seen_at: string }>(
      `SELECT ${prefixed(USER_COLUMNS, 'u')}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.active`,
      [tokenHash],
    );
    return r ? { user: toUser(r), lastSeenAt: r.last_seen_at } : null;
  }

  async pullPage(q: PullQuery): Promise<PullPage> {
    const params: unknown[] = [q.afterVersion];
    const where = scopeClause(q.scope, '', params);
    params.push(q.limit);
    const tomb = q.includeTombstones ? '' : ' AND NOT deleted';
    const sql = `SELECT ${RECORD_COLUMNS} FROM records WHERE version > $1 AND ${where}${tomb}
                 ORDER BY version LIMIT $${params.length}`;
    // One snapshot for the rows and the counter: a write not visible in it gets a higher version.
    return this.#inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const rows = await client.query<PgRecord>(sql, params);
      const state = await client.query<{ version: number; pruned_version: number }>(
        'SELECT version, pruned_version FROM sync_state WHERE id = 1',
      );
      const s = state.rows[0];
      return {
        rows: rows.rows.map(toRecord),
        currentVersion: s?.version ?? 0,
        prunedVersion: s?.pruned_version ?? 0,
      };
    });
  }

  async listConflicts(q: ConflictQuery): Promise<HistoryRow[]> {
    const params: unknown[] = [];
    const filters = [scopeClause(q.scope, 'r', params)];
    if (q.afterVersion !== undefined) {
      params.push(q.afterVersion);
      filters.push(`h.version > $${params.length}`);
    }
    if (q.since !== undefined) {
      params.push(q.since);
      filters.push(`h.at >= $${params.length}`);
    }
    params.push(q.limit);
    const rows = await this.rows<PgHistory>(
      `SELECT ${prefixed(HISTORY_COLUMNS, 'h')} FROM record_history h JOIN records r ON r.id = h.record_id
       WHERE h.lost IS NOT NULL AND ${filters.join(' AND ')}
       ORDER BY h.version, h.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toHistory);
  }

  async prune(before: string): Promise<PruneReport> {
    return this.#inTransaction('BEGIN', (client) => new PgTx(client).prune(before));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Waits for checked-out clients to come back: requests in flight finish first.
    await this.#pool.end();
  }
}

export function openPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
