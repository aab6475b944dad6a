// Row shapes of the shared tables as either database returns them, and their one mapping to the
// Store's types. The cell tells the dialect apart: SQLite gives JSON columns as text and booleans
// as 0/1, PostgreSQL (with postgres/rows.ts's type parsers) parsed JSONB and real booleans.
import type { Role } from '../../shared/index.ts';
import type { FieldMetaMap, HistoryRow, RecordRow, StoredResult, UserRow } from './store.ts';

/** A JSON column: text on SQLite, already parsed on PostgreSQL. */
type JsonCell = unknown;
/** A boolean column: 0/1 on SQLite, a boolean on PostgreSQL. */
type BoolCell = number | boolean;

export interface UserCells {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  commune_code: string;
  team_id: string | null;
  active: BoolCell;
}

export interface RecordCells {
  id: string;
  commune_code: string;
  team_id: string;
  volunteer_id: string;
  version: number;
  deleted: BoolCell;
  data: JsonCell;
  field_meta: JsonCell;
  created_at: string;
  updated_at: string;
  review_state?: string | null;
  review_comment?: string | null;
}

export interface HistoryCells {
  id: number;
  record_id: string;
  version: number;
  mutation_id: string | null;
  user_id: string;
  op: string;
  patch: JsonCell;
  replaced: JsonCell;
  lost: JsonCell;
  won: JsonCell;
  at: string;
}

export interface StoredCells {
  mutation_id: string;
  result: JsonCell;
  payload_hash: string | null;
}

export const USER_COLUMNS = 'id, username, display_name, password_hash, role, commune_code, team_id, active';
export const HISTORY_COLUMNS =
  'id, record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at';
export const RECORD_COLUMNS =
  'id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta, created_at, updated_at';
/** RECORD_COLUMNS and the server-derived review columns (read only: sync writes never set them). */
export const RECORD_SELECT = `${RECORD_COLUMNS}, review_state, review_comment`;

/** `SELECT` list with a table alias: `u.id, u.username, …`. */
export function prefixed(columns: string, alias: string): string {
  return columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

export function toUser(r: UserCells): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    // The CHECK constraint in the schema keeps this column to the four roles.
    role: r.role as Role,
    communeCode: r.commune_code,
    teamId: r.team_id,
    active: isTrue(r.active),
  };
}

export function toRecord(r: RecordCells): RecordRow {
  return {
    id: r.id,
    communeCode: r.commune_code,
    teamId: r.team_id,
    volunteerId: r.volunteer_id,
    version: r.version,
    deleted: isTrue(r.deleted),
    data: readObject(r.data),
    fieldMeta: readObject(r.field_meta) as FieldMetaMap,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.review_state ? { reviewState: r.review_state, reviewComment: r.review_comment ?? null } : {}),
  };
}

export function toHistory(r: HistoryCells): HistoryRow {
  return {
    id: r.id,
    recordId: r.record_id,
    version: r.version,
    mutationId: r.mutation_id,
    userId: r.user_id,
    op: r.op as HistoryRow['op'],
    patch: readObject(r.patch),
    replaced: readObject(r.replaced),
    lost: r.lost === null ? null : readObject(r.lost),
    won: r.won === null ? null : readObject(r.won),
    at: r.at,
  };
}

export function toStored(r: StoredCells): StoredResult {
  return { mutationId: r.mutation_id, result: readObject(r.result), payloadHash: r.payload_hash };
}

export function isTrue(cell: BoolCell): boolean {
  return cell === true || cell === 1;
}

/**
 * Stored JSON is ours, but read it tolerantly: a damaged cell, or anything but an object, reads as
 * empty, not as a crash. Text is SQLite's JSON; PostgreSQL's JSONB comes parsed already.
 */
export function readObject(cell: JsonCell): Record<string, unknown> {
  let v = cell;
  if (typeof cell === 'string') {
    try {
      v = JSON.parse(cell) as unknown;
    } catch {
      return {};
    }
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
