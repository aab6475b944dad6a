// The embedded SQLite store: one writer connection whose transactions queue on a mutex, and one
// read-only connection so that reads never see a write transaction that has not committed yet.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { GroupCommit, type GroupCommitStats } from '../group-commit.ts';
import { Mutex } from '../mutex.ts';
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
  tallyCitizensSql,
  tallyCountsSql,
  tallyGroupsSql,
} from '../tallies/sql.ts';
import {
  TemporaryStoreError,
  type AuditFilter,
  type CellRebuildReport,
  type AuditRow,
  type ConflictQuery,
  type ExportRow,
  type ReconciliationInputs,
  type ReportFilter,
  type TallyInput,
  type TargetRow,
  type HistoryRow,
  type MigrationReport,
  type PruneReport,
  type PullPage,
  type PullQuery,
  type PullScope,
  type Session,
  type SessionListQuery,
  type SessionRow,
  type Store,
  type Tx,
  type Reads,
} from '../store.ts';
import { appendAuditSqlite, listAuditSqlite } from './audit.ts';
import type { DeviceSession } from '../accounts/types.ts';
import { toExportRow, toDeviceReport, type DeviceReportCells, type ExportCells } from '../reporting/rows.ts';
import { TARGET_COLUMNS, TARGET_ORDER, toTarget, type TargetCells } from '../targets/rows.ts';
import { DEVICE_SESSION_SQL, toDeviceSession, type DeviceSessionCells } from '../accounts/rows.ts';
import { migrateSqlite } from './migrate.ts';
import { sqliteReads, sqliteTx } from './queries.ts';
import { Delegating } from '../compose.ts';
import { Statements } from './statements.ts';
import { listSessionsSqlite } from '../sessions/sqlite.ts';
import { mergeByVersion } from '../sessions/columns.ts';
import {
  HISTORY_COLUMNS,
  RECORD_SELECT,
  USER_COLUMNS,
  toHistory,
  toRecord,
  toUser,
  type HistoryCells,
  type RecordCells,
  type UserCells,
} from '../rows.ts';
import { provinceTallySql, toProvinceRows } from '../tallies/province.ts';
import { sessionRowsSql, toSessionReportRow, type RawSessionRow } from '../tallies/sessions.ts';
import type { SessionFilter, SessionReportRow } from '../store.ts';
import type { ProvinceReaderRow, ProvinceTallyInput, ProvinceTallyRow } from '../store.ts';

export const SQLITE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/sqlite/', import.meta.url));

/**
 * A pulled record that the given client's push created and nobody has written since: its current
 * version is that of a create in its history made by one of the client's stored mutations.
 */
function ownCreate(table: 'records' | 'group_sessions'): string {
  return `SELECT 1 FROM record_history h JOIN mutation_results m ON m.mutation_id = h.mutation_id
  WHERE h.record_id = ${table}.id AND h.version = ${table}.version AND h.op = 'create' AND m.client_id = ?`;
}

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string;
  /** Where the migration files live; tests point it at a copy. */
  migrationsDir?: string;
  /** How long to wait for another process's write lock before answering 503 (default 5 s). */
  busyTimeoutMs?: number;
}

/** SQLite gave up waiting for a lock, or the file is locked by another process: try again later. */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function temporary<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isSqliteBusy(e)) throw new TemporaryStoreError('the SQLite database is busy', { cause: e });
    throw e;
  }
}

export class SqliteStore extends Delegating<Reads>() implements Store {
  readonly kind = 'sqlite' as const;
  readonly #writer: Database.Database;
  readonly #reader: Database.Database;
  readonly #readerSql: Statements;
  readonly #writerSql: Statements;
  readonly #tx: Tx;
  readonly #mutex = new Mutex();
  readonly #migrationsDir: string;
  #closed = false;
  readonly #group = new GroupCommit({
    run: (body) =>
      this.transaction((tx) =>
        body(tx, {
          begin: async () => void this.#writer.exec('SAVEPOINT grouped'),
          release: async () => void this.#writer.exec('RELEASE grouped'),
          rollback: async (memberError) => {
            // Some failures (disk full, I/O) end the whole transaction: nothing of the group stays.
            if (!this.#writer.inTransaction) throw memberError;
            this.#writer.exec('ROLLBACK TO grouped');
            this.#writer.exec('RELEASE grouped');
          },
        }),
      ),
    callerError: (e) =>
      isSqliteBusy(e) ? new TemporaryStoreError('the SQLite database is busy', { cause: e }) : e,
  });

  constructor(options: SqliteStoreOptions) {
    const busy = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    const writer = new Database(options.file);
    // WAL lets the reader connection read while the writer writes; FULL syncs the WAL on every
    // commit, so an acknowledged push survives a power cut (sync-protocol.md, invariant 15).
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.pragma('foreign_keys = ON');
    writer.pragma(`busy_timeout = ${busy}`);
    const reader = new Database(options.file);
    reader.pragma(`busy_timeout = ${busy}`);
    reader.pragma('query_only = ON');
    const readerSql = new Statements(reader);
    super(sqliteReads(readerSql));
    this.#writer = writer;
    this.#reader = reader;
    this.#readerSql = readerSql;
    this.#writerSql = new Statements(writer);
    this.#tx = sqliteTx(this.#writerSql);
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
      if (this.#closed) throw new TemporaryStoreError('the SQLite store is closed');
      // IMMEDIATE takes the write lock up front, so another process on the same file waits
      // (busy_timeout) at BEGIN rather than failing halfway through.
      temporary(() => this.#writer.exec('BEGIN IMMEDIATE'));
      try {
        const out = await fn(this.#tx);
        temporary(() => this.#writer.exec('COMMIT'));
        return out;
      } catch (e) {
        if (this.#writer.open && this.#writer.inTransaction) this.#writer.exec('ROLLBACK');
        throw isSqliteBusy(e) ? new TemporaryStoreError('the SQLite database is busy', { cause: e }) : e;
      }
    });
  }

  groupTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#group.run(fn);
  }

  groupStats(): GroupCommitStats {
    return this.#group.stats();
  }

  async findDeviceSession(tokenHash: string): Promise<DeviceSession | null> {
    const r = this.#readerSql.get(`${DEVICE_SESSION_SQL}?`).get(tokenHash) as DeviceSessionCells | undefined;
    return r ? toDeviceSession(r) : null;
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
      .get(tokenHash) as (UserCells & { last_seen_at: string }) | undefined;
    return r ? { user: toUser(r), lastSeenAt: r.last_seen_at } : null;
  }

  async pullPage(q: PullQuery): Promise<PullPage> {
    const { where, params } = scopeClause(q.scope, '');
    const tomb = q.includeTombstones ? '' : ' AND deleted = 0';
    const own = (table: 'records' | 'group_sessions'): string =>
      q.skipCreatesOf === undefined ? '' : ` AND NOT EXISTS (${ownCreate(table)})`;
    const rowsStmt = this.#readerSql.get(
      `SELECT ${RECORD_SELECT} FROM records WHERE version > ? AND ${where}${tomb}${own('records')} ORDER BY version LIMIT ?`,
    );
    // Group sessions share the counter: each table's first `limit` rows by version hold the
    // first `limit` of both, so two index walks merged here page like one feed.
    const sessionsStmt = this.#readerSql.get(
      `SELECT ${RECORD_SELECT} FROM group_sessions WHERE version > ? AND ${where}${tomb}${own('group_sessions')} ORDER BY version LIMIT ?`,
    );
    const stateStmt = this.#readerSql.get(
      'SELECT version, pruned_version, restored_below FROM sync_state WHERE id = 1',
    );
    // One read transaction: the rows and the global version come from the same snapshot.
    const read = this.#reader.transaction(() => {
      const skip = q.skipCreatesOf === undefined ? [] : [q.skipCreatesOf];
      const rows = rowsStmt.all(q.afterVersion, ...params, ...skip, q.limit) as RecordCells[];
      const sessions = sessionsStmt.all(q.afterVersion, ...params, ...skip, q.limit) as RecordCells[];
      const s = stateStmt.get() as { version: number; pruned_version: number; restored_below: number };
      return {
        rows: mergeByVersion(rows.map(toRecord), sessions.map(toRecord), q.limit),
        currentVersion: s.version,
        prunedVersion: s.pruned_version,
        restoredBelow: s.restored_below,
      };
    });
    return temporary(() => read());
  }

  async listSessions(q: SessionListQuery): Promise<SessionRow[]> {
    return temporary(() => listSessionsSqlite(this.#readerSql, q));
  }

  async listConflicts(q: ConflictQuery): Promise<HistoryRow[]> {
    const { where, params } = scopeClause(q.scope, 'r.');
    const filters: string[] = [];
    const args: (string | number)[] = [];
    if (q.afterVersion !== undefined) {
      filters.push('h.version > ?');
      args.push(q.afterVersion);
    }
    if (q.since !== undefined) {
      filters.push('h.at >= ?');
      args.push(q.since);
    }
    const cols = HISTORY_COLUMNS.split(', ')
      .map((c) => `h.${c}`)
      .join(', ');
    const rows = this.#readerSql
      .get(
        `SELECT ${cols} FROM record_history h JOIN records r ON r.id = h.record_id
         WHERE h.lost IS NOT NULL AND ${where}${filters.map((f) => ` AND ${f}`).join('')}
         ORDER BY h.version, h.id LIMIT ?`,
      )
      .all(...params, ...args, q.limit) as HistoryCells[];
    return rows.map(toHistory);
  }

  async prune(before: string): Promise<PruneReport> {
    return this.transaction(async () => {
      const sql = this.#writerSql;
      const old = sql
        .get(
          'SELECT count(*) AS n, coalesce(max(version), 0) AS v FROM records WHERE deleted = 1 AND updated_at < ?',
        )
        .get(before) as { n: number; v: number };
      sql
        .get(
          `DELETE FROM record_history WHERE record_id IN
             (SELECT id FROM records WHERE deleted = 1 AND updated_at < ?)`,
        )
        .run(before);
      sql.get('DELETE FROM records WHERE deleted = 1 AND updated_at < ?').run(before);
      // Group sessions' tombstones go the same way: one horizon covers the one change feed.
      const oldSessions = sql
        .get(
          'SELECT count(*) AS n, coalesce(max(version), 0) AS v FROM group_sessions WHERE deleted = 1 AND updated_at < ?',
        )
        .get(before) as { n: number; v: number };
      sql
        .get(
          `DELETE FROM record_history WHERE record_id IN
             (SELECT id FROM group_sessions WHERE deleted = 1 AND updated_at < ?)`,
        )
        .run(before);
      sql.get('DELETE FROM group_sessions WHERE deleted = 1 AND updated_at < ?').run(before);
      const results = sql.get('DELETE FROM mutation_results WHERE created_at < ?').run(before).changes;
      sql
        .get('UPDATE sync_state SET pruned_version = max(pruned_version, ?) WHERE id = 1')
        .run(Math.max(old.v, oldSessions.v));
      const s = sql.get('SELECT pruned_version FROM sync_state WHERE id = 1').get() as {
        pruned_version: number;
      };
      return { tombstones: old.n + oldSessions.n, results, prunedVersion: s.pruned_version };
    });
  }

  async tally(q: TallyInput): Promise<TallyResponse> {
    if (cellsAnswer(q)) {
      const fast = await this.#tallyFromCells(q);
      if (fast) return fast;
    }
    const g = q.groupBy;
    const exact = !q.countsOnly;
    const rejected = rejectedSql(q, 'sqlite');
    const sql = this.#readerSql;
    if (countsFromRecords(q, g)) {
      // Payment or failure reason: counts and citizens from the records' covering index.
      const groups = g.length ? tallyGroupsSql(q, g, 'sqlite', exact) : null;
      const total = tallyGroupsSql(q, [], 'sqlite', exact);
      const read = this.#reader.transaction(() => ({
        groups: groups ? (sql.get(groups.sql).all(...groups.params) as RawTallyRow[]) : [],
        total: sql.get(total.sql).get(...total.params) as RawTallyRow | undefined,
        rejected: rejected ? (sql.get(rejected.sql).get(...rejected.params) as RawRejectedRow) : undefined,
      }));
      const r = temporary(() => read());
      return toTallyResponse(g, r.groups, r.total, r.rejected);
    }
    const counts = g.length ? tallyCountsSql(q, g, 'sqlite') : null;
    const citizens = g.length && exact ? tallyCitizensSql(q, g, 'sqlite') : null;
    const totalCount = tallyCountsSql(q, [], 'sqlite');
    const totalCitizens = exact ? tallyCitizensSql(q, [], 'sqlite') : null;
    const read = this.#reader.transaction(() => ({
      counts: counts ? (sql.get(counts.sql).all(...counts.params) as RawCountRow[]) : [],
      citizens: citizens ? (sql.get(citizens.sql).all(...citizens.params) as RawCitizensRow[]) : [],
      totalCount: sql.get(totalCount.sql).get(...totalCount.params) as RawCountRow | undefined,
      totalCitizens: totalCitizens
        ? (sql.get(totalCitizens.sql).get(...totalCitizens.params) as RawCitizensRow | undefined)
        : undefined,
      rejected: rejected ? (sql.get(rejected.sql).get(...rejected.params) as RawRejectedRow) : undefined,
    }));
    const r = temporary(() => read());
    return joinTally(g, r.counts, r.citizens, r.totalCount, r.totalCitizens, r.rejected);
  }

  /**
   * Counts and citizens from the cells, in one read snapshot with no dirty day in the period; a
   * dirty period is rebuilt on the writer first. Null (use the scan) only if
   * writers keep dirtying the period between a rebuild and the read.
   */
  async #tallyFromCells(q: TallyInput): Promise<TallyResponse | null> {
    const dirty = dirtyInPeriodSql(q, 'sqlite');
    const cells = cellsSql(q, 'sqlite');
    const sql = this.#readerSql;
    for (let attempt = 0; attempt < 3; attempt++) {
      const read = this.#reader.transaction(() =>
        sql.get(dirty.sql).get(...dirty.params)
          ? null
          : (sql.get(cells.sql).all(...cells.params) as CellRow[]),
      );
      const rows = temporary(() => read());
      if (rows) {
        const t = countCells(q.groupBy, rows);
        return toTallyResponse(q.groupBy, t.groups, t.total, { rejected: t.rejected });
      }
      await this.transaction(() => rebuildDirtyDays(cellDb(this.#writerSql), q));
    }
    return null;
  }

  async rebuildCitizenCells(options: { signal?: AbortSignal } = {}): Promise<CellRebuildReport> {
    const report: CellRebuildReport = { days: 0, transactions: 0, complete: false };
    const dirty = temporary(() => this.#readerSql.get(ALL_DIRTY_DAYS_SQL).all()) as {
      commune_code: string;
      day: string;
    }[];
    // Each run queues on the writer's mutex like any write: pushes go in between.
    for (const run of dirtyRuns(dirty)) {
      if (options.signal?.aborted) return report;
      report.days += await this.transaction(() => rebuildDirtyDays(cellDb(this.#writerSql), run));
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
    const q = exportPageSql(f, after, limit, 'sqlite');
    const rows = temporary(() => this.#readerSql.get(q.sql).all(...q.params)) as ExportCells[];
    return rows.map(toExportRow);
  }

  async sessionReportRows(f: SessionFilter): Promise<SessionReportRow[]> {
    const q = sessionRowsSql(f, 'sqlite');
    const rows = temporary(() => this.#readerSql.get(q.sql).all(...q.params)) as RawSessionRow[];
    return rows.map(toSessionReportRow);
  }

  async listTargets(communeCode: string, from: string, to: string): Promise<TargetRow[]> {
    const rows = this.#readerSql
      .get(
        `SELECT ${TARGET_COLUMNS}
         FROM targets WHERE commune_code = ? AND period_from <= ? AND period_to >= ?
         ORDER BY ${TARGET_ORDER}`,
      )
      .all(communeCode, to, from) as TargetCells[];
    return rows.map(toTarget);
  }

  async reconciliationInputs(scope: PullScope): Promise<ReconciliationInputs> {
    const { where, params } = scopeClause(
      scope.kind === 'volunteer' ? { kind: 'volunteer', userId: scope.userId, teamId: null } : scope,
      'u.',
    );
    const people = (
      this.#readerSql
        .get(
          `SELECT ${USER_COLUMNS.split(', ')
            .map((c) => `u.${c}`)
            .join(', ')} FROM users u
           WHERE ${where.replaceAll('u.volunteer_id', 'u.id')} AND u.role IN ('volunteer', 'lead')
           ORDER BY u.display_name, u.id`,
        )
        .all(...params) as UserCells[]
    ).map(toUser);
    const ids = people.map((p) => p.id);
    if (ids.length === 0) return { people, reports: [], lastSynced: new Map() };
    const marks = ids.map(() => '?').join(', ');
    const reports = (
      this.#readerSql
        .get(
          `SELECT client_id, user_id, period_counts, pending, device_at, received_at FROM device_reports d
           WHERE user_id IN (${marks}) AND received_at =
             (SELECT max(received_at) FROM device_reports e WHERE e.user_id = d.user_id)`,
        )
        .all(...ids) as DeviceReportCells[]
    ).map(toDeviceReport);
    const synced = this.#readerSql
      .get(
        `SELECT user_id, max(updated_at) AS at FROM clients WHERE user_id IN (${marks}) AND last_seq > 0
         GROUP BY user_id`,
      )
      .all(...ids) as { user_id: string; at: string }[];
    return { people, reports, lastSynced: new Map(synced.map((r) => [r.user_id, r.at])) };
  }

  async appendAudit(entries: readonly AuditRow[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#mutex.run(async () => {
      if (this.#closed) throw new TemporaryStoreError('the SQLite store is closed');
      temporary(() => appendAuditSqlite(this.#writer, entries));
    });
  }

  async listAudit(q: AuditFilter): Promise<AuditRow[]> {
    return listAuditSqlite(this.#reader, q);
  }

  async addProvinceReader(row: ProvinceReaderRow & { tokenHash: string }): Promise<void> {
    await this.transaction(async () => {
      this.#writerSql
        .get(
          'INSERT INTO province_readers (id, name, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(row.id, row.name, row.tokenHash, row.createdAt, row.revokedAt);
    });
  }

  async findProvinceReader(tokenHash: string): Promise<ProvinceReaderRow | null> {
    const r = this.#readerSql
      .get('SELECT id, name, created_at, revoked_at FROM province_readers WHERE token_hash = ?')
      .get(tokenHash) as
      { id: string; name: string; created_at: string; revoked_at: string | null } | undefined;
    return r ? { id: r.id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at } : null;
  }

  async provinceTally(q: ProvinceTallyInput): Promise<ProvinceTallyRow[]> {
    const { sql, params } = provinceTallySql(q, 'sqlite');
    const raw = this.#readerSql.get(sql).all(...params) as Record<string, unknown>[];
    return toProvinceRows(raw, q.groupBy);
  }

  async listCommuneNames(): Promise<{ code: string; name: string }[]> {
    return this.#readerSql.get('SELECT code, name FROM communes ORDER BY code').all() as {
      code: string;
      name: string;
    }[];
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Queued transactions finish first; later ones find the store closed (503).
    await this.#mutex.run(async () => {
      this.#closed = true;
      this.#reader.close();
      this.#writer.close();
    });
  }
}

function scopeClause(s: PullScope, p: string): { where: string; params: string[] } {
  switch (s.kind) {
    case 'volunteer':
      return s.teamId === null
        ? { where: `${p}volunteer_id = ?`, params: [s.userId] }
        : { where: `(${p}volunteer_id = ? OR ${p}team_id = ?)`, params: [s.userId, s.teamId] };
    case 'team':
      return { where: `${p}team_id = ?`, params: [s.teamId] };
    case 'commune':
      return { where: `${p}commune_code = ?`, params: [s.communeCode] };
  }
}

/** The citizen cells' statements on one connection (synchronous underneath). */
function cellDb(sql: Statements): CellDb {
  return {
    dialect: 'sqlite',
    all: async <T>(text: string, params: unknown[]) => sql.get(text).all(...params) as T[],
    run: async (text: string, params: unknown[]) => void sql.get(text).run(...params),
  };
}

/** Open (creating if needed) the SQLite store at `file`. Call `migrate()` before use. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
