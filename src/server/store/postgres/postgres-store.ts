// The PostgreSQL store: one pg Pool per process behind the Store contract, safe with several processes
// on one database (a counter row lock orders writes, an advisory lock guards migrations).
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { TallyResponse } from '../../../shared/index.ts';
import {
  joinTally,
  toTallyResponse,
  type RawCitizensRow,
  type RawCountRow,
  type RawRejectedRow,
  type RawTallyRow,
} from '../tallies/rows.ts';
import {
  cellsAnswer,
  cellsSql,
  ALL_DIRTY_DAYS_SQL,
  countCells,
  dirtyInPeriodSql,
  dirtyRuns,
  rebuildDirtyDays,
  type CellDb,
  type CellRow,
} from '../tallies/citizen-cells.ts';
import {
  exportPageSql,
  countsFromRecords,
  rejectedSql,
  tallyGroupsSql,
  tallyCitizensOnePassSql,
  tallyCitizensSql,
  tallyCountsSql,
} from '../tallies/sql.ts';
import {
  TemporaryStoreError,
  type AuditFilter,
  type CellRebuildReport,
  type AuditRow,
  type ConflictQuery,
  type ExportRow,
  type PullScope,
  type ReconciliationInputs,
  type ReportFilter,
  type TallyInput,
  type TargetRow,
  type HistoryRow,
  type MigrationReport,
  type PruneReport,
  type PullPage,
  type PullQuery,
  type Session,
  type SessionListQuery,
  type SessionRow,
  type Store,
  type Tx,
  type Reads,
} from '../store.ts';
import { appendAuditPostgres, listAuditPostgres } from './audit.ts';
import { provinceTallySql, toProvinceRows } from '../tallies/province.ts';
import { sessionRowsSql, toSessionReportRow, type RawSessionRow } from '../tallies/sessions.ts';
import type { SessionFilter, SessionReportRow } from '../store.ts';
import type { ProvinceReaderRow, ProvinceTallyInput, ProvinceTallyRow } from '../store.ts';
import type { DeviceSession } from '../accounts/types.ts';
import { toExportRow, toDeviceReport, type DeviceReportCells, type ExportCells } from '../reporting/rows.ts';
import { TARGET_COLUMNS, TARGET_ORDER, toTarget, type TargetCells } from '../targets/rows.ts';
import { DEVICE_SESSION_SQL, toDeviceSession, type DeviceSessionCells } from '../accounts/rows.ts';
import { isRetryable, storeError } from './errors.ts';
import { GroupCommit, type GroupCommitStats } from '../group-commit.ts';
import { migratePostgres, tryShareMigrationLock } from './migrate.ts';
import { pgReads, pgTx } from './queries.ts';
import { scopeClause } from '../sync/postgres.ts';
import { Delegating } from '../compose.ts';
import { pgConn, type PgConn } from './conn.ts';
import { listSessionsPg } from '../sessions/postgres.ts';
import { mergeByVersion } from '../sessions/columns.ts';
import {
  HISTORY_COLUMNS,
  RECORD_SELECT,
  USER_COLUMNS,
  prefixed,
  toHistory,
  toRecord,
  toUser,
  type HistoryCells,
  type RecordCells,
  type UserCells,
} from '../rows.ts';
import { PG_TYPES } from './rows.ts';
import { checkSchemaName } from './url.ts';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/postgres/', import.meta.url));

/**
 * A pulled record that the client (parameter `param`) created by push and nobody has written since:
 * its current version is that of a create in its history made by one of the client's mutations.
 */
function ownCreate(param: string, table: 'records' | 'group_sessions' = 'records'): string {
  return `SELECT 1 FROM record_history h JOIN mutation_results m ON m.mutation_id = h.mutation_id
    WHERE h.record_id = ${table}.id AND h.version = ${table}.version AND h.op = 'create' AND m.client_id = ${param}`;
}

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

/** The citizen cells' statements on one client. */
function cellDb(client: PoolClient): CellDb {
  return {
    dialect: 'postgres',
    all: async <T>(text: string, params: unknown[]) => (await client.query(text, params)).rows as T[],
    run: async (text: string, params: unknown[]) => void (await client.query(text, params)),
  };
}

export class PostgresStore extends Delegating<Reads>() implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  /** The pool's query helpers, for the store's own reads. */
  readonly #db: PgConn;
  readonly #schema: string | null;
  readonly #migrationsDir: string;
  #closed = false;
  // One group at a time per process: pushes on separate connections would only queue on the
  // counter row lock, each with a commit of its own.
  readonly #group = new GroupCommit({
    run: (body) =>
      this.#inTransaction('BEGIN', (client) =>
        body(pgTx(client), {
          begin: async () => void (await client.query('SAVEPOINT grouped')),
          release: async () => void (await client.query('RELEASE SAVEPOINT grouped')),
          rollback: async () => {
            await client.query('ROLLBACK TO SAVEPOINT grouped');
            await client.query('RELEASE SAVEPOINT grouped');
          },
        }),
      ),
    // A deadlock or serialization failure runs the whole group again, as it would a lone push.
    failsAll: isRetryable,
    callerError: storeError,
  });

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
    super(pgReads(pool));
    this.#pool = pool;
    this.#db = pgConn(pool, false);
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
    const [r] = await this.#db.rows<{ n: number }>(
      'SELECT (SELECT count(*) FROM communes) + (SELECT count(*) FROM users) AS n',
    );
    return (r?.n ?? 0) === 0;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#inTransaction('BEGIN', (client) => fn(pgTx(client)));
  }

  groupTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#group.run(fn);
  }

  groupStats(): GroupCommitStats {
    return this.#group.stats();
  }

  async findDeviceSession(tokenHash: string): Promise<DeviceSession | null> {
    const [r] = await this.#db.rows<DeviceSessionCells>(`${DEVICE_SESSION_SQL}$1`, [tokenHash]);
    return r ? toDeviceSession(r) : null;
  }

  async findSession(tokenHash: string): Promise<Session | null> {
    const [r] = await this.#db.rows<UserCells & { last_seen_at: string }>(
      `SELECT ${prefixed(USER_COLUMNS, 'u')}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.active`,
      [tokenHash],
    );
    return r ? { user: toUser(r), lastSeenAt: r.last_seen_at } : null;
  }

  async pullPage(q: PullQuery): Promise<PullPage> {
    const params: unknown[] = [q.afterVersion];
    const where = scopeClause(q.scope, '', params);
    const tomb = q.includeTombstones ? '' : ' AND NOT deleted';
    let own = '';
    let ownSession = '';
    if (q.skipCreatesOf !== undefined) {
      params.push(q.skipCreatesOf);
      own = ` AND NOT EXISTS (${ownCreate(`$${params.length}`)})`;
      ownSession = ` AND NOT EXISTS (${ownCreate(`$${params.length}`, 'group_sessions')})`;
    }
    params.push(q.limit);
    const sql = `SELECT ${RECORD_SELECT} FROM records WHERE version > $1 AND ${where}${tomb}${own}
                 ORDER BY version LIMIT $${params.length}`;
    // Group sessions share the counter: each table's first `limit` rows by version hold the first
    // `limit` of both, so two index walks merged here page like one feed.
    const sessionSql = `SELECT ${RECORD_SELECT} FROM group_sessions WHERE version > $1 AND ${where}${tomb}${ownSession}
                 ORDER BY version LIMIT $${params.length}`;
    // One snapshot for the rows and the counter: a write not visible in it gets a higher version.
    return this.#inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const rows = await client.query<RecordCells>(sql, params);
      const sessions = await client.query<RecordCells>(sessionSql, params);
      const state = await client.query<{ version: number; pruned_version: number; restored_below: number }>(
        'SELECT version, pruned_version, restored_below FROM sync_state WHERE id = 1',
      );
      const s = state.rows[0];
      return {
        rows: mergeByVersion(rows.rows.map(toRecord), sessions.rows.map(toRecord), q.limit),
        currentVersion: s?.version ?? 0,
        prunedVersion: s?.pruned_version ?? 0,
        restoredBelow: s?.restored_below ?? 0,
      };
    });
  }

  async listSessions(q: SessionListQuery): Promise<SessionRow[]> {
    return listSessionsPg(this.#db, q);
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
    const rows = await this.#db.rows<HistoryCells>(
      `SELECT ${prefixed(HISTORY_COLUMNS, 'h')} FROM record_history h JOIN records r ON r.id = h.record_id
       WHERE h.lost IS NOT NULL AND ${filters.join(' AND ')}
       ORDER BY h.version, h.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toHistory);
  }

  async prune(before: string): Promise<PruneReport> {
    return this.#inTransaction('BEGIN', (client) => pgTx(client).prune(before));
  }

  async tally(q: TallyInput): Promise<TallyResponse> {
    if (cellsAnswer(q)) {
      const fast = await this.#tallyFromCells(q);
      if (fast) return fast;
    }
    const g = q.groupBy;
    const exact = !q.countsOnly;
    const rejected = rejectedSql(q, 'postgres');
    const snapshot = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
    if (countsFromRecords(q, g)) {
      // Payment or failure reason: counts and citizens from the records' covering index.
      const groups = g.length ? tallyGroupsSql(q, g, 'postgres', exact) : null;
      const total = tallyGroupsSql(q, [], 'postgres', exact);
      return this.#inTransaction(snapshot, async (client) => {
        const w = groups ? (await client.query<RawTallyRow>(groups.sql, groups.params)).rows : [];
        const t = (await client.query<RawTallyRow>(total.sql, total.params)).rows[0];
        const rj = rejected
          ? (await client.query<RawRejectedRow>(rejected.sql, rejected.params)).rows[0]
          : undefined;
        return toTallyResponse(g, w, t, rj);
      });
    }
    const counts = g.length ? tallyCountsSql(q, g, 'postgres') : null;
    const totalCount = tallyCountsSql(q, [], 'postgres');
    // With groups, one pass gives their citizens and the total's; without, the total alone.
    const citizens = !exact
      ? null
      : g.length
        ? tallyCitizensOnePassSql(q, g)
        : tallyCitizensSql(q, [], 'postgres');
    return this.#inTransaction(snapshot, async (client) => {
      const c = counts ? (await client.query<RawCountRow>(counts.sql, counts.params)).rows : [];
      const tc = (await client.query<RawCountRow>(totalCount.sql, totalCount.params)).rows[0];
      const z = citizens
        ? (await client.query<RawCitizensRow & { g?: number }>(citizens.sql, citizens.params)).rows
        : [];
      const rj = rejected
        ? (await client.query<RawRejectedRow>(rejected.sql, rejected.params)).rows[0]
        : undefined;
      const groups = g.length ? z.filter((r) => Number(r.g) === 0) : [];
      const total = g.length ? z.find((r) => Number(r.g) !== 0) : z[0];
      return joinTally(g, c, groups, tc, total, rj);
    });
  }

  /**
   * Counts and citizens from the cells, in one snapshot with no dirty day in the period; a dirty
   * period is rebuilt first. Null (use the scan) only if writers keep dirtying the
   * period between a rebuild and the read.
   */
  async #tallyFromCells(q: TallyInput): Promise<TallyResponse | null> {
    const dirty = dirtyInPeriodSql(q, 'postgres');
    const cells = cellsSql(q, 'postgres');
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows = await this.#inTransaction(
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
        async (client) =>
          (await client.query(dirty.sql, dirty.params)).rowCount
            ? null
            : (await client.query<CellRow>(cells.sql, cells.params)).rows,
      );
      if (rows) {
        const t = countCells(q.groupBy, rows);
        return toTallyResponse(q.groupBy, t.groups, t.total, { rejected: t.rejected });
      }
      await this.#inTransaction('BEGIN', async (client) => {
        // Waits for the writers that marked a day and have not committed, and holds new ones back
        // until this rebuild commits (migration 20261128-10): no mark is cleared unseen.
        await client.query('LOCK TABLE citizen_days_dirty IN SHARE ROW EXCLUSIVE MODE');
        await rebuildDirtyDays(cellDb(client), q);
      });
    }
    return null;
  }

  async rebuildCitizenCells(options: { signal?: AbortSignal } = {}): Promise<CellRebuildReport> {
    const report: CellRebuildReport = { days: 0, transactions: 0, complete: false };
    const runs = dirtyRuns(await this.#db.rows<{ commune_code: string; day: string }>(ALL_DIRTY_DAYS_SQL));
    for (const run of runs) {
      if (options.signal?.aborted) return report;
      const days = await this.#inTransaction('BEGIN', async (client) => {
        // Never between another process's migrations and their tables (migrate.ts).
        if (!(await tryShareMigrationLock(client, this.#schema))) return null;
        await client.query('LOCK TABLE citizen_days_dirty IN SHARE ROW EXCLUSIVE MODE');
        return rebuildDirtyDays(cellDb(client), run);
      });
      if (days === null) return report;
      report.days += days;
      report.transactions += 1;
    }
    report.complete = true;
    return report;
  }

  async exportPage(
    f: ReportFilter,
    after: { occurredOn: string; id: string } | null,
    limit: number,
  ): Promise<ExportRow[]> {
    const q = exportPageSql(f, after, limit, 'postgres');
    const rows = await this.#db.rows<ExportCells>(q.sql, q.params);
    return rows.map(toExportRow);
  }

  async sessionReportRows(f: SessionFilter): Promise<SessionReportRow[]> {
    const q = sessionRowsSql(f, 'postgres');
    return (await this.#db.rows<RawSessionRow>(q.sql, q.params)).map(toSessionReportRow);
  }

  async listTargets(communeCode: string, from: string, to: string): Promise<TargetRow[]> {
    const rows = await this.#db.rows<TargetCells>(
      `SELECT ${TARGET_COLUMNS}
       FROM targets WHERE commune_code = $1 AND period_from <= $2 AND period_to >= $3
       ORDER BY ${TARGET_ORDER}`,
      [communeCode, to, from],
    );
    return rows.map(toTarget);
  }

  async reconciliationInputs(scope: PullScope): Promise<ReconciliationInputs> {
    const params: unknown[] = [];
    let where: string;
    if (scope.kind === 'volunteer') {
      params.push(scope.userId);
      where = 'u.id = $1';
    } else if (scope.kind === 'team') {
      params.push(scope.teamId);
      where = 'u.team_id = $1';
    } else {
      params.push(scope.communeCode);
      where = 'u.commune_code = $1';
    }
    const people = (
      await this.#db.rows<UserCells>(
        `SELECT ${prefixed(USER_COLUMNS, 'u')} FROM users u
         WHERE ${where} AND u.role IN ('volunteer', 'lead') ORDER BY u.display_name, u.id`,
        params,
      )
    ).map(toUser);
    const ids = people.map((p) => p.id);
    if (ids.length === 0) return { people, reports: [], lastSynced: new Map() };
    const reports = (
      await this.#db.rows<DeviceReportCells>(
        `SELECT DISTINCT ON (user_id) client_id, user_id, period_counts, pending, device_at, received_at
         FROM device_reports WHERE user_id = ANY($1) ORDER BY user_id, received_at DESC`,
        [ids],
      )
    ).map(toDeviceReport);
    const synced = await this.#db.rows<{ user_id: string; at: string }>(
      `SELECT user_id, max(updated_at) AS at FROM clients WHERE user_id = ANY($1) AND last_seq > 0
       GROUP BY user_id`,
      [ids],
    );
    return { people, reports, lastSynced: new Map(synced.map((r) => [r.user_id, r.at])) };
  }

  async appendAudit(entries: readonly AuditRow[]): Promise<void> {
    if (this.#closed) throw new TemporaryStoreError('the PostgreSQL store is closed');
    try {
      await appendAuditPostgres(this.#pool, entries);
    } catch (e) {
      throw storeError(e);
    }
  }

  async listAudit(q: AuditFilter): Promise<AuditRow[]> {
    try {
      return await listAuditPostgres(this.#pool, q);
    } catch (e) {
      throw storeError(e);
    }
  }

  async addProvinceReader(row: ProvinceReaderRow & { tokenHash: string }): Promise<void> {
    await this.#inTransaction('BEGIN', (client) =>
      client.query(
        'INSERT INTO province_readers (id, name, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)',
        [row.id, row.name, row.tokenHash, row.createdAt, row.revokedAt],
      ),
    );
  }

  async findProvinceReader(tokenHash: string): Promise<ProvinceReaderRow | null> {
    const [r] = await this.#db.rows<{
      id: string;
      name: string;
      created_at: string;
      revoked_at: string | null;
    }>('SELECT id, name, created_at, revoked_at FROM province_readers WHERE token_hash = $1', [tokenHash]);
    return r ? { id: r.id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at } : null;
  }

  async provinceTally(q: ProvinceTallyInput): Promise<ProvinceTallyRow[]> {
    const { sql, params } = provinceTallySql(q, 'postgres');
    return toProvinceRows(await this.#db.rows(sql, params), q.groupBy);
  }

  async listCommuneNames(): Promise<{ code: string; name: string }[]> {
    return this.#db.rows<{ code: string; name: string }>('SELECT code, name FROM communes ORDER BY code');
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
