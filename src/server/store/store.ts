// The one storage interface the server talks to. Async throughout so that a PostgreSQL store can sit
// behind it beside the embedded SQLite one; nothing above this file knows which is in use. Each
// domain (sync, accounts, sessions, reviews, targets, privacy, hand-off, settings, reporting) keeps
// its own small interface in `<domain>/types.ts`; Reads, Tx and Store are their composition.
import type { TallyResponse } from '../../shared/index.ts';
import type { AccountReads, AccountWrites, DeviceSession, Session } from './accounts/types.ts';
import type { HandoffTx } from './handoff/types.ts';
import type { PrivacyTx } from './privacy/types.ts';
import type {
  AuditFilter,
  AuditRow,
  CellRebuildReport,
  ExportRow,
  ProvinceReaderRow,
  ProvinceTallyInput,
  ProvinceTallyRow,
  ReconciliationInputs,
  ReportFilter,
  ReportingTx,
  SessionFilter,
  SessionReportRow,
  TallyInput,
} from './reporting/types.ts';
import type { ReviewTx } from './reviews/types.ts';
import type { SessionListQuery, SessionRow, SessionsReads, SessionsTx } from './sessions/types.ts';
import type { SettingsReads, SettingsTx } from './settings/types.ts';
import type {
  ConflictQuery,
  HistoryRow,
  PruneReport,
  PullPage,
  PullQuery,
  PullScope,
  SyncReads,
  SyncTx,
} from './sync/types.ts';
import type { TargetRow, TargetsTx } from './targets/types.ts';

export type * from './accounts/types.ts';
export type * from './handoff/types.ts';
export type * from './privacy/types.ts';
export type * from './reporting/types.ts';
export type * from './reviews/types.ts';
export type * from './sessions/types.ts';
export type * from './settings/types.ts';
export type * from './sync/types.ts';
export type * from './targets/types.ts';
export { PROVINCE_DIMENSIONS } from './reporting/types.ts';

/** What group commit has done so far (group-commit.ts): transactions, pushes in them, pushes waiting. */
export interface GroupCommitStats {
  groups: number;
  members: number;
  waiting: number;
}

/** Reads available both on the store and inside a transaction. */
export interface Reads extends SyncReads, AccountReads, SessionsReads, SettingsReads {}

/** Everything a write transaction can do. Writes happen only here. */
export interface Tx
  extends
    Reads,
    SyncTx,
    AccountWrites,
    SessionsTx,
    ReviewTx,
    TargetsTx,
    ReportingTx,
    PrivacyTx,
    HandoffTx,
    SettingsTx {}

export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

export interface Store extends Reads {
  readonly kind: 'sqlite' | 'postgres';
  /** Apply pending migrations; refuses (throws MigrationError) if an applied one changed or vanished. */
  migrate(): Promise<MigrationReport>;
  /** True when there is no commune and no user yet (the demo seed only goes into such a database). */
  isEmpty(): Promise<boolean>;
  /**
   * Run `fn` in one write transaction, serialised with every other write transaction that reads or
   * writes sync data (all processes included); it commits when `fn` resolves, rolls back when it
   * throws. `fn` may run again after a serialisation failure, so it must not have side effects
   * outside `tx`. A temporary failure (busy, connection lost) throws TemporaryStoreError.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * `transaction`, except that callers waiting at the same time share one store transaction and so
   * one durable commit (group-commit.ts): each runs in its own savepoint, so one that throws is
   * taken back alone and gets its own error; each hears its answer once the shared commit is done.
   * For short transactions that only touch the store (a push).
   */
  groupTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Group transactions committed so far, the members they carried, and the members waiting now. */
  groupStats(): GroupCommitStats;
  /** A session by token hash, only if not revoked and its user is active. */
  findSession(tokenHash: string): Promise<Session | null>;
  /** One page of changes and the global version, read in one snapshot. */
  pullPage(query: PullQuery): Promise<PullPage>;
  /** History entries in which a value lost, inside the scope, ordered by version then entry id. */
  listConflicts(query: ConflictQuery): Promise<HistoryRow[]>;
  /**
   * Delete tombstones last written before `before` (ISO) with their history, and push results
   * stored before it; raise the prune horizon to the highest version deleted. Live records stay.
   */
  prune(before: string): Promise<PruneReport>;

  /**
   * Counts of counted records in the filter, grouped, and the refused ones beside them
   * (docs/reporting.md); read from covering indexes.
   */
  tally(q: TallyInput): Promise<TallyResponse>;
  /**
   * Rebuild the citizen cells of every dirty day (docs/reporting.md, "Citizen cells"), a run of
   * days per write transaction, so that the next tallies find them clean. Stops between runs when
   * `signal` aborts, and on PostgreSQL when another process is applying migrations (a tally still
   * rebuilds what is dirty in its period: this only takes that work off the first requests).
   */
  rebuildCitizenCells(options?: { signal?: AbortSignal }): Promise<CellRebuildReport>;
  /** One page of live (counted, unless the filter says) records, ordered by (occurredOn, id), after `after`. */
  exportPage(
    f: ReportFilter,
    after: { occurredOn: string; id: string } | null,
    limit: number,
  ): Promise<ExportRow[]>;
  /** Targets of a commune (commune-wide, per team, per hamlet) whose period overlaps [from, to], ordered by period, category. */
  listTargets(communeCode: string, from: string, to: string): Promise<TargetRow[]>;
  /** Live group sessions in the query, newest first (heldOn, then id, descending). */
  listSessions(q: SessionListQuery): Promise<SessionRow[]>;
  /** Live group sessions of the filter, every review state, ordered by (heldOn, id), in one read. */
  sessionReportRows(f: SessionFilter): Promise<SessionReportRow[]>;
  /** Volunteers and leads in a scope, their reports and last syncs. */
  reconciliationInputs(scope: PullScope): Promise<ReconciliationInputs>;
  /** A session, ended or not, with its user and device whatever their state (accounts/types.ts). */
  findDeviceSession(tokenHash: string): Promise<DeviceSession | null>;
  close(): Promise<void>;

  // ---- the hosting province's read-only view (src/server/http/province.ts) ----
  /** Store a province reader; its name and token hash are unique. */
  addProvinceReader(row: ProvinceReaderRow & { tokenHash: string }): Promise<void>;
  /** A province reader by token hash, revoked or not. */
  findProvinceReader(tokenHash: string): Promise<ProvinceReaderRow | null>;
  /** Counted and refused records by commune and `groupBy` across every commune, from `daily_rollup`. */
  provinceTally(q: ProvinceTallyInput): Promise<ProvinceTallyRow[]>;
  /** Every commune's code and name, by code. */
  listCommuneNames(): Promise<{ code: string; name: string }[]>;

  // ---- audit log (src/server/security/audit.ts) ----
  /** Append entries, outside any sync transaction (an audit write never rolls back with one). */
  appendAudit(entries: readonly AuditRow[]): Promise<void>;
  /** Entries newest first (by id, a UUIDv7), filtered; includes entries of no commune (unknown users). */
  listAudit(q: AuditFilter): Promise<AuditRow[]>;
}

/** The store's configuration cannot work (a bad DATABASE_URL); the server does not start. */
export class StoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConfigError';
  }
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * The store cannot answer now but may soon (database busy or locked, connection refused or lost,
 * pool exhausted, store closed). Nothing was committed; the API answers 503 with Retry-After.
 */
export class TemporaryStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemporaryStoreError';
  }
}
