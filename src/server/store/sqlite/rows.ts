// Row shapes as SQLite returns them and their mapping to the Store's types. JSON columns are
// parsed here and nowhere else.
import type { Role } from '../../../shared/index.ts';
import type { FieldMetaMap, HistoryRow, RecordRow, StoredResult, UserRow } from '../store.ts';

export interface RawUser {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  commune_code: string;
  team_id: string | null;
  active: number;
}

export interface RawRecord {
  id: string;
  commune_code: string;
  team_id: string;
  volunteer_id: string;
  version: number;
  deleted: number;
  data: string;
  field_meta: string;
  created_at: string;
  updated_at: string;
  review_state?: string | null;
  review_comment?: string | null;
}

export interface RawHistory {
  id: number;
  record_id: string;
  version: number;
  mutation_id: string | null;
  user_id: string;
  op: string;
  patch: string;
  replaced: string;
  lost: string | null;
  won: string | null;
  at: string;
}

export const USER_COLUMNS = 'id, username, display_name, password_hash, role, commune_code, team_id, active';
export const HISTORY_COLUMNS =
  'id, record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at';
export const RECORD_COLUMNS =
  'id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta, created_at, updated_at';
/** RECORD_COLUMNS and the server-derived review columns (read only: sync writes never set them). */
export const RECORD_SELECT = `${RECORD_COLUMNS}, review_state, review_comment`;

export function toUser(r: RawUser): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    // The CHECK constraint in the schema keeps this column to the four roles.
    role: r.role as Role,
    communeCode: r.commune_code,
    teamId: r.team_id,
    active: r.active === 1,
  };
}

export function toRecord(r: RawRecord): RecordRow {
  return {
    id: r.id,
    communeCode: r.commune_code,
    teamId: r.team_id,
    volunteerId: r.volunteer_id,
    version: r.version,
    deleted: r.deleted === 1,
    data: parseObject(r.data),
    fieldMeta: parseObject(r.field_meta) as FieldMetaMap,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.review_state ? { reviewState: r.review_state, reviewComment: r.review_comment ?? null } : {}),
  };
}

export function toHistory(r: RawHistory): HistoryRow {
  return {
    id: r.id,
    recordId: r.record_id,
    version: r.version,
    mutationId: r.mutation_id,
    userId: r.user_id,
    op: r.op as HistoryRow['op'],
    patch: parseObject(r.patch),
    replaced: parseObject(r.replaced),
    lost: r.lost === null ? null : parseObject(r.lost),
    won: r.won === null ? null : parseObject(r.won),
    at: r.at,
  };
}

export interface StoredRaw {
  mutation_id: string;
  result: string;
  payload_hash: string | null;
}

export function toStored(r: StoredRaw): StoredResult {
  return { mutationId: r.mutation_id, result: parseObject(r.result), payloadHash: r.payload_hash };
}

/** Stored JSON is ours, but read it tolerantly: a damaged cell reads as empty, not as a crash. */
export function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
