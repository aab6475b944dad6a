// The sync domain (docs/sync-protocol.md): records, their history, the version counter, clients and
// their stored push results. Both stores implement it in sync/sqlite.ts and sync/postgres.ts.
import type { Role } from '../../../shared/index.ts';

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

/** Sync reads available both on the store and inside a transaction. */
export interface SyncReads {
  getRecord(id: string): Promise<RecordRow | null>;
  currentVersion(): Promise<number>;
  restoreMark(): Promise<RestoreMark>;
  recordHistory(recordId: string): Promise<HistoryRow[]>;
  getClient(clientId: string): Promise<ClientRow | null>;
}

/** Sync writes; the counter and every sync row change only inside a write transaction. */
export interface SyncTx extends SyncReads {
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
}
