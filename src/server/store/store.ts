// The one storage interface the server talks to. Async throughout so that a PostgreSQL store can sit
// behind it beside the embedded SQLite one; nothing above this file knows which is in use.
import type {
  AuditItem,
  ReportView,
  Role,
  SessionTopic,
  TallyDimension,
  TallyResponse,
  Target,
} from '../../shared/index.ts';
import type { AccountReads, AccountWrites, DeviceSession, UserRow } from './accounts.ts';

export type { UserRow };

/** What group commit has done so far (group-commit.ts): transactions, pushes in them, pushes waiting. */
export interface GroupCommitStats {
  groups: number;
  members: number;
  waiting: number;
}

export interface HamletRow {
  id: string;
  name: string;
}

export interface CommuneInfo {
  code: string;
  name: string;
  /** Active hamlets, in the commune's own order. */
  hamlets: HamletRow[];
}

/** Who last wrote a field, at which version: the basis of field-level merge. */
export interface FieldMeta {
  v: number;
  by: string;
  role: Role;
}
export type FieldMetaMap = Record<string, FieldMeta>;

export interface RecordRow {
  id: string;
  communeCode: string;
  teamId: string;
  volunteerId: string;
  version: number;
  deleted: boolean;
  /** The client-writable fields as stored (no server-derived fields). */
  data: Record<string, unknown>;
  fieldMeta: FieldMetaMap;
  /** Server times, informative. */
  createdAt: string;
  updatedAt: string;
  /** Server-derived, set only by review (POST /records/:id/review); sync writes never change it. */
  reviewState?: string | null;
  reviewComment?: string | null;
  /** Set on pulled rows that are group sessions (docs/group-sessions.md); absent for a record. */
  kind?: 'session';
}

/**
 * A group session as stored (group_sessions): a record's shape, so merge, scope and the wire treat
 * both alike. The store copies held_on, hamlet_id, topic and attendees from `data` on every write.
 */
export type SessionRow = Omit<RecordRow, 'kind'>;

/** Which live sessions GET /api/v1/sessions lists: a scope, optional filters, a page after a key. */
export interface SessionListQuery {
  scope: PullScope;
  communeCode: string;
  /** Inclusive `YYYY-MM-DD` bounds on heldOn. */
  from?: string | undefined;
  to?: string | undefined;
  hamletId?: string | undefined;
  topic?: string | undefined;
  teamId?: string | undefined;
  /** The previous page's last session: the page goes on after it, newest first. */
  after?: { heldOn: string; id: string } | undefined;
  limit: number;
}

/**
 * Which live records a report reads (docs/reporting.md). A volunteer scope means their own only.
 * Without `reviewState` only counted records are read: those refused in review ('rejected') are
 * left out (docs/reporting.md, "What counts").
 */
export interface ReportFilter {
  scope: PullScope;
  /** The caller's commune: narrows a team or volunteer scope so the commune's covering index applies. */
  communeCode?: string | undefined;
  /** Inclusive `YYYY-MM-DD` bounds on occurredOn. */
  from: string;
  to: string;
  category?: string | undefined;
  outcome?: string | undefined;
  hamlet?: string | undefined;
  /** A review state, or 'none' for records not reviewed yet: exactly that state, refused ones included. */
  reviewState?: string | undefined;
  /**
   * Every live record whatever its review state (reconciliation compares with what the phones
   * hold, refused records included); ignored when `reviewState` is set.
   */
  includeRejected?: boolean | undefined;
  /** 'de_an_06': only the Đề án 06 categories and records of a police service (report.ts). */
  view?: ReportView | undefined;
  /** Drill-down filters (a dashboard row's key): a team, a volunteer, a service code or 'none'. */
  team?: string | undefined;
  volunteer?: string | undefined;
  service?: string | undefined;
  /** Paid online ('true'), not ('false') or not asked ('none'); read from `records` only. */
  paidOnline?: 'true' | 'false' | 'none' | undefined;
  /** A failure reason code or 'none'; read from `records` only. */
  failReason?: string | undefined;
}

export interface TallyInput extends ReportFilter {
  groupBy: readonly TallyDimension[];
  /**
   * Counts only: every `citizens` is 0 and the exact distinct count (the citizen cells or a pass
   * over the records' index) is skipped, for breakdowns that show no citizens (per service, outcome,
   * reason…).
   */
  countsOnly?: boolean | undefined;
}

/** A live record as an export writes it. */
export interface ExportRow {
  id: string;
  communeCode: string;
  teamId: string;
  volunteerId: string;
  version: number;
  data: Record<string, unknown>;
  reviewState: string | null;
  reviewComment: string | null;
  createdAt: string;
  updatedAt: string;
  occurredOn: string;
}

/** Which group sessions a report reads: live ones of a scope and period (every review state). */
export interface SessionFilter {
  scope: PullScope;
  communeCode: string;
  /** Inclusive `YYYY-MM-DD` bounds on heldOn. */
  from: string;
  to: string;
  hamlet?: string | undefined;
  team?: string | undefined;
  topic?: string | undefined;
}

/** A live group session as reports read it (docs/group-sessions.md); names no attendee. */
export interface SessionReportRow {
  id: string;
  teamId: string;
  volunteerId: string;
  heldOn: string;
  hamletId: string;
  topic: string;
  /** The attendance grid's total, copied on write. */
  attendees: number;
  reviewState: string | null;
  /** The session as stored (place, topic, attendance by cell…). */
  data: Record<string, unknown>;
}

export interface TargetRow extends Target {
  communeCode: string;
}

export interface ReviewEntry {
  recordId: string;
  version: number;
  state: string;
  comment: string | null;
  userId: string;
  at: string;
}

export interface DeviceReportRow {
  clientId: string;
  userId: string;
  periodCounts: { from: string; to: string; count: number }[];
  pending: number;
  deviceAt: string;
  receivedAt: string;
}

/** What reconciliation reads besides the tally: people, their devices' reports and last syncs. */
export interface ReconciliationInputs {
  people: UserRow[];
  /** The latest report per user (any of their devices). */
  reports: DeviceReportRow[];
  /** userId → latest successful push (server time) by any of their devices. */
  lastSynced: Map<string, string>;
}

export interface ClientRow {
  clientId: string;
  userId: string;
  lastSeq: number;
}

export interface StoredResult {
  mutationId: string;
  /** The MutationResult as answered, JSON-ready. */
  result: Record<string, unknown>;
  /**
   * SHA-256 of the mutation's record, op, base version and patch (sync/payload.ts): tells a replay
   * from another mutation reusing the id. Null for results stored before it was kept.
   */
  payloadHash?: string | null;
}

export interface HistoryEntry {
  recordId: string;
  version: number;
  mutationId: string | null;
  userId: string;
  op: 'create' | 'update' | 'delete';
  patch: Record<string, unknown>;
  replaced: Record<string, unknown>;
  lost: Record<string, unknown> | null;
  /** For each field in `lost`, the value that won it (`{ value, by, role }`); null when nothing was contested. */
  won: Record<string, unknown> | null;
  at: string;
}

export interface HistoryRow extends HistoryEntry {
  id: number;
}

/** Which rows a pull may see (sync-protocol.md, "Pull semantics"). */
export type PullScope =
  | { kind: 'volunteer'; userId: string; teamId: string | null }
  | { kind: 'team'; teamId: string }
  | { kind: 'commune'; communeCode: string };

export interface PullQuery {
  scope: PullScope;
  afterVersion: number;
  limit: number;
  includeTombstones: boolean;
  /**
   * Leave out records still at the version that this client's own push created them with: the
   * client holds exactly that copy (sync-protocol.md, "Pull semantics").
   */
  skipCreatesOf?: string;
}

export interface PullPage {
  rows: RecordRow[];
  /** The global version in the same snapshot as `rows`. */
  currentVersion: number;
  /** Tombstones up to this version may have been pruned: an older cursor must start over. */
  prunedVersion: number;
  /** The top of the last restore's version gap (0: never restored); see RestoreMark. */
  restoredBelow: number;
}

/**
 * The last restore from a backup (sync-protocol.md, "Restored from a backup"): the counter came back
 * at `from` and went on from `below`. Versions in between were only ever issued by the lost history.
 * Both 0 when the database was never restored by the restore command.
 */
export interface RestoreMark {
  from: number;
  below: number;
}

/** History entries in which a value lost, oldest first (GET /api/v1/conflicts). */
export interface ConflictQuery {
  scope: PullScope;
  /** Only entries with a version above this one. */
  afterVersion?: number;
  /** Only entries written at or after this server time (ISO). */
  since?: string;
  limit: number;
}

export interface PruneReport {
  /** Tombstones deleted (with their history). */
  tombstones: number;
  /** Stored push results deleted. */
  results: number;
  /** The prune horizon after this run: a pull cursor below it resets. */
  prunedVersion: number;
}

export interface Session {
  user: UserRow;
  lastSeenAt: string;
}

// ---- the admin's report settings (migration 20261208-20-report-settings) ----
/** The printout's settings of one commune as stored: the JSON is checked by its reader. */
export interface ReportSettingsRow {
  communeCode: string;
  settings: unknown;
  updatedBy: string;
  updatedAt: string;
}
export interface ReportSettingsReads {
  /** The commune's stored settings, or null when the admin never set them. */
  getReportSettings(communeCode: string): Promise<ReportSettingsRow | null>;
}
export interface ReportSettingsWrites {
  /** Insert or replace the commune's settings. */
  putReportSettings(row: ReportSettingsRow): Promise<void>;
}

// ---- the commune's how-to card editions (migration 20261208-50-card-editions, docs/cards.md) ----
/** One published edition as stored: the cards' JSON is checked by its reader. */
export interface CardEditionRow {
  communeCode: string;
  edition: number;
  publishedOn: string;
  source: string;
  cards: unknown;
  publishedBy: string;
  publishedAt: string;
}
export interface CardEditionReads {
  /** The commune's highest published edition, or null when it never published one. */
  getCardEdition(communeCode: string): Promise<CardEditionRow | null>;
  /** Only the number of that edition (every pull's last page announces it). */
  cardEditionNumber(communeCode: string): Promise<number | null>;
}
export interface CardEditionWrites {
  /** Insert a new edition; its number must be above every stored one of the commune. */
  insertCardEdition(row: CardEditionRow): Promise<void>;
}

/** Reads available both on the store and inside a transaction. */
export interface Reads extends AccountReads, ReportSettingsReads, CardEditionReads {
  getUser(id: string): Promise<UserRow | null>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  getCommune(code: string): Promise<CommuneInfo | null>;
  /** All hamlet ids of a commune, active or not (an old record may name a retired hamlet). */
  hamletIds(communeCode: string): Promise<Set<string>>;
  getRecord(id: string): Promise<RecordRow | null>;
  currentVersion(): Promise<number>;
  restoreMark(): Promise<RestoreMark>;
  recordHistory(recordId: string): Promise<HistoryRow[]>;
  getClient(clientId: string): Promise<ClientRow | null>;
  /** A group session by id (tombstones included), or null. */
  getSession(id: string): Promise<SessionRow | null>;
  /** The commune's own topic list in its order; empty when it keeps none (the defaults apply). */
  sessionTopics(communeCode: string): Promise<SessionTopic[]>;
}

/** Everything a write transaction can do. Writes happen only here. */
export interface Tx extends Reads, AccountWrites, HandoffTx, ReportSettingsWrites, CardEditionWrites {
  /** Bump the global counter and return the new value; only inside the transaction that uses it. */
  nextVersion(): Promise<number>;
  putRecord(row: RecordRow): Promise<void>;
  /** Bump the global counter by `n` at once and return the new value (versions value-n+1 … value are yours). */
  reserveVersions(n: number): Promise<number>;
  /** Insert many new records at once (bulk loads: the demo, the bench); ids must not exist yet. */
  insertRecords(rows: readonly RecordRow[]): Promise<void>;
  addHistory(entry: HistoryEntry): Promise<void>;

  insertClient(clientId: string, userId: string, at: string): Promise<void>;
  setClientSeq(clientId: string, seq: number, at: string): Promise<void>;
  getMutationResult(clientId: string, seq: number): Promise<StoredResult | null>;
  /** Results stored for one mutation id, from any client. */
  findMutationResults(mutationId: string): Promise<StoredResult[]>;
  saveMutationResult(clientId: string, seq: number, stored: StoredResult, at: string): Promise<void>;

  // ---- a push as a batch (sync/batch.ts): one round trip per step, whatever the batch size ----
  /** The records with these ids that exist (tombstones included), in no particular order. */
  getRecords(ids: readonly string[]): Promise<RecordRow[]>;
  /** Insert or replace many records; ids must be distinct (one row per id). */
  putRecords(rows: readonly RecordRow[]): Promise<void>;
  /** Append history entries; their ids follow the order given. */
  addHistories(entries: readonly HistoryEntry[]): Promise<void>;
  /** The results stored for any of these mutation ids, from any client. */
  findMutationResultsOf(mutationIds: readonly string[]): Promise<StoredResult[]>;
  /** One client's stored results for seqs `from`…`to` (inclusive), by seq. */
  getMutationResultRange(clientId: string, from: number, to: number): Promise<Map<number, StoredResult>>;
  saveMutationResults(
    clientId: string,
    results: readonly { seq: number; stored: StoredResult }[],
    at: string,
  ): Promise<void>;
  /** Of these record ids, those that have a contact row. */
  recordIdsWithContact(ids: readonly string[]): Promise<Set<string>>;
  /** The group sessions with these ids that exist (tombstones included), in no particular order. */
  getSessions(ids: readonly string[]): Promise<SessionRow[]>;
  /** Insert or replace many group sessions (distinct ids), with their extracted columns. */
  putSessions(rows: readonly SessionRow[]): Promise<void>;
  /** Replace the commune's whole topic list, in the order given. */
  putSessionTopics(communeCode: string, topics: readonly SessionTopic[]): Promise<void>;
  /** Set a session's review state and version (its data stays) and keep the review (record_reviews). */
  setSessionReview(entry: ReviewEntry): Promise<void>;

  insertCommune(code: string, name: string): Promise<void>;
  /** How many communes exist (none: the first-run set-up is pending). */
  communeCount(): Promise<number>;
  /** Keep the SHA-256 of a set-up link's token (docs/operations.md, first run). */
  addSetupToken(tokenHash: string, at: string): Promise<void>;
  hasSetupToken(tokenHash: string): Promise<boolean>;
  /** Spend every set-up link: the set-up is done. */
  clearSetupTokens(): Promise<void>;
  /** Secrets of citizenKey still in the database (communes older than migration 20261207-01), by commune code. */
  legacyCitizenSecrets(): Promise<Map<string, string>>;
  /** Empty the database's copy of these communes' secrets (once the key file holds them). */
  forgetLegacyCitizenSecrets(codes: readonly string[]): Promise<void>;
  insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void>;
  insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void>;
  insertUser(u: UserRow): Promise<void>;
  /** Move a user to another team (or none). Their next pull with an older cursor resets. */
  setUserTeam(userId: string, teamId: string | null): Promise<void>;

  createSession(tokenHash: string, userId: string, at: string): Promise<void>;

  /** Insert or replace (same commune, period, category, outcome, hamlet, team) a target; returns it. */
  putTarget(t: TargetRow, by: string, at: string): Promise<TargetRow>;
  /** Set a record's review state and version (its data stays) and keep the review in its history. */
  setReview(entry: ReviewEntry): Promise<void>;
  saveDeviceReport(r: DeviceReportRow): Promise<void>;
  touchSession(tokenHash: string, at: string): Promise<void>;
  revokeSession(tokenHash: string, at: string): Promise<void>;

  // ---- citizens' data (docs/privacy.md) ----
  /** A record's follow-up contact (sealed at rest), or null. */
  getContact(recordId: string): Promise<ContactRow | null>;
  /** Insert or replace a record's contact. */
  putContact(c: ContactRow): Promise<void>;
  /** Set when the case closed (null: open again); a closure time already set is kept. */
  setContactClosed(recordId: string, closedAt: string | null): Promise<void>;
  deleteContact(recordId: string): Promise<void>;
  /** Delete contacts whose case closed before `before` (ISO); returns how many. */
  purgeContacts(before: string): Promise<number>;
  /** Ids of the commune's records whose data or history holds citizenKey `key`, deleted ones included. */
  recordIdsByCitizenKey(communeCode: string, key: string): Promise<string[]>;
  /** Remove `fields` from every history entry of a record (patch, replaced, lost, won). */
  scrubHistory(recordId: string, fields: readonly string[]): Promise<void>;
  /** Clear every review comment of a record (the record's own and each stored review); states stay. */
  eraseReviewComments(recordId: string): Promise<void>;
}

/** A record's follow-up contact: `sealed` is AES-256-GCM under the server key, never clear text. */
export interface ContactRow {
  recordId: string;
  communeCode: string;
  sealed: string;
  closedAt: string | null;
  updatedAt: string;
}

// ---- hand-off to the team lead without internet (docs/handoff.md) ----
export interface HandoffCommuneKeyRow {
  communeCode: string;
  keyId: string;
  /** Raw public points and PKCS#8 private keys, base64url. */
  encryptPublic: string;
  encryptPrivate: string;
  receiptPublic: string;
  receiptPrivate: string;
  createdAt: string;
}

export interface HandoffDeviceKeyRow {
  keyId: string;
  userId: string;
  clientId: string;
  /** Raw ECDSA P-256 public point, base64url. */
  publicKey: string;
  createdAt: string;
  revokedAt: string | null;
  /**
   * The enrolled device whose session registered the key; null when registered from a password
   * session. Revoking that device revokes the key (docs/handoff.md).
   */
  deviceId: string | null;
}

export interface HandoffBundleRow {
  bundleId: string;
  keyId: string;
  clientId: string;
  volunteerId: string;
  leadId: string;
  /** SHA-256 of the bundle bytes, base64url: the same id with other bytes is a replay. */
  digest: string;
  count: number;
  /** The signed receipt text answered for it. */
  receipt: string;
  receivedAt: string;
}

export interface HandoffTx {
  getHandoffCommuneKey(communeCode: string): Promise<HandoffCommuneKeyRow | null>;
  /** Inserts unless the commune already has a key (the first one stays). */
  insertHandoffCommuneKey(row: HandoffCommuneKeyRow): Promise<void>;
  getHandoffDeviceKey(keyId: string): Promise<HandoffDeviceKeyRow | null>;
  /** Inserts unless the key id is known already. */
  insertHandoffDeviceKey(row: HandoffDeviceKeyRow): Promise<void>;
  /** The device keys of a team's members, oldest first. */
  listHandoffDeviceKeys(teamId: string): Promise<HandoffDeviceKeyRow[]>;
  /** Marks a key revoked (device revocation); its bundles are refused from then on. */
  revokeHandoffDeviceKey(keyId: string, at: string): Promise<void>;
  /** Marks every key of one sync client revoked (a revoked device); answers how many changed. */
  revokeHandoffKeysOfClient(clientId: string, at: string): Promise<number>;
  getHandoffBundle(bundleId: string): Promise<HandoffBundleRow | null>;
  insertHandoffBundle(row: HandoffBundleRow): Promise<void>;
}

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
  /** A session, ended or not, with its user and device whatever their state (accounts.ts). */
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

/** A read-only account of the hosting province (province_readers; docs/operations.md). */
export interface ProvinceReaderRow {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What a province tally may group by besides the commune; all read from `daily_rollup`. */
export const PROVINCE_DIMENSIONS = ['category', 'outcome', 'month'] as const;
export type ProvinceDimension = (typeof PROVINCE_DIMENSIONS)[number];

export interface ProvinceTallyInput {
  from: string;
  to: string;
  groupBy: readonly ProvinceDimension[];
  category?: string | undefined;
}

/** One group of a province tally: the commune, the other keys in `groupBy` order, counted and refused. */
export interface ProvinceTallyRow {
  commune: string;
  keys: (string | null)[];
  count: number;
  rejected: number;
}

/** What `rebuildCitizenCells` did. */
export interface CellRebuildReport {
  /** Dirty days rebuilt. */
  days: number;
  /** Write transactions that rebuilt them. */
  transactions: number;
  /** False when it stopped before the end (aborted, or another process's migrations were running). */
  complete: boolean;
}

/** An audit entry as stored: the wire's entry plus the commune it belongs to. */
export interface AuditRow extends AuditItem {
  communeCode: string | null;
}

export interface AuditFilter {
  communeCode: string;
  action?: string | undefined;
  userId?: string | undefined;
  /** Inclusive ISO bounds on `at`. */
  fromAt?: string | undefined;
  toAt?: string | undefined;
  /** Only entries with an id below this one (the previous page's last). */
  beforeId?: string | undefined;
  /** Leave out the `view` entries of routine sync pulls (SYNC_PULL_TARGET). */
  hideSyncPulls?: boolean | undefined;
  limit: number;
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
