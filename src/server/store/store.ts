// The one storage interface the server talks to. Async throughout so that a PostgreSQL store can sit
// behind it beside the embedded SQLite one; nothing above this file knows which is in use.
import type { Role } from '../../shared/index.ts';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  communeCode: string;
  teamId: string | null;
  active: boolean;
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
}

export interface PullPage {
  rows: RecordRow[];
  /** The global version in the same snapshot as `rows`. */
  currentVersion: number;
}

export interface Session {
  user: UserRow;
  lastSeenAt: string;
}

/** Reads available both on the store and inside a transaction. */
export interface Reads {
  getUser(id: string): Promise<UserRow | null>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  getCommune(code: string): Promise<CommuneInfo | null>;
  /** All hamlet ids of a commune, active or not (an old record may name a retired hamlet). */
  hamletIds(communeCode: string): Promise<Set<string>>;
  getRecord(id: string): Promise<RecordRow | null>;
  currentVersion(): Promise<number>;
  recordHistory(recordId: string): Promise<HistoryRow[]>;
  getClient(clientId: string): Promise<ClientRow | null>;
}

/** Everything a write transaction can do. Writes happen only here. */
export interface Tx extends Reads {
  /** Bump the global counter and return the new value; only inside the transaction that uses it. */
  nextVersion(): Promise<number>;
  putRecord(row: RecordRow): Promise<void>;
  addHistory(entry: HistoryEntry): Promise<void>;

  insertClient(clientId: string, userId: string, at: string): Promise<void>;
  setClientSeq(clientId: string, seq: number, at: string): Promise<void>;
  getMutationResult(clientId: string, seq: number): Promise<StoredResult | null>;
  /** Results stored for one mutation id, from any client. */
  findMutationResults(mutationId: string): Promise<StoredResult[]>;
  saveMutationResult(clientId: string, seq: number, stored: StoredResult): Promise<void>;

  insertCommune(code: string, name: string): Promise<void>;
  insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void>;
  insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void>;
  insertUser(u: UserRow): Promise<void>;

  createSession(tokenHash: string, userId: string, at: string): Promise<void>;
  touchSession(tokenHash: string, at: string): Promise<void>;
  revokeSession(tokenHash: string, at: string): Promise<void>;
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
  /** Run `fn` in one serializable write transaction; it commits when `fn` resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A session by token hash, only if not revoked and its user is active. */
  findSession(tokenHash: string): Promise<Session | null>;
  /** One page of changes and the global version, read in one snapshot. */
  pullPage(query: PullQuery): Promise<PullPage>;
  close(): Promise<void>;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}
