// Row shapes as `pg` returns them (with the type parsers below) and their mapping to the Store's
// types. BIGINT comes back as a number, TIMESTAMPTZ as an ISO string, JSONB already parsed.
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import type { Role } from '../../../shared/index.ts';
import type { FieldMetaMap, HistoryRow, RecordRow, StoredResult, UserRow } from '../store.ts';

const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');

/**
 * Per pool, not global: versions stay far below 2^53, and the Store speaks ISO strings for times
 * (as SQLite stores them), so both stores answer alike.
 */
export const PG_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (text: string) => Number(text);
    if (oid === TIMESTAMPTZ_OID) return (text: string) => (parseTimestamptz(text) as Date).toISOString();
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

export interface PgUser {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  commune_code: string;
  team_id: string | null;
  active: boolean;
}

export interface PgRecord {
  id: string;
  commune_code: string;
  team_id: string;
  volunteer_id: string;
  version: number;
  deleted: boolean;
  data: unknown;
  field_meta: unknown;
  created_at: string;
  updated_at: string;
  review_state?: string | null;
  review_comment?: string | null;
}

export interface PgHistory {
  id: number;
  record_id: string;
  version: number;
  mutation_id: string | null;
  user_id: string;
  op: string;
  patch: unknown;
  replaced: unknown;
  lost: unknown;
  won: unknown;
  at: string;
}

export const USER_COLUMNS = 'id, username, display_name, password_hash, role, commune_code, team_id, active';
export const RECORD_COLUMNS =
  'id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta, created_at, updated_at';
/** RECORD_COLUMNS and the server-derived review columns (read only: sync writes never set them). */
export const RECORD_SELECT = `${RECORD_COLUMNS}, review_state, review_comment`;
export const HISTORY_COLUMNS =
  'id, record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at';

/** `SELECT` list with a table alias: `u.id, u.username, …`. */
export function prefixed(columns: string, alias: string): string {
  return columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

export function toUser(r: PgUser): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    // The CHECK constraint in the schema keeps this column to the four roles.
    role: r.role as Role,
    communeCode: r.commune_code,
    teamId: r.team_id,
    active: r.active,
  };
}

export function toRecord(r: PgRecord): RecordRow {
  return {
    id: r.id,
    communeCode: r.commune_code,
    teamId: r.team_id,
    volunteerId: r.volunteer_id,
    version: r.version,
    deleted: r.deleted,
    data: asObject(r.data),
    fieldMeta: asObject(r.field_meta) as FieldMetaMap,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.review_state ? { reviewState: r.review_state, reviewComment: r.review_comment ?? null } : {}),
  };
}

export function toHistory(r: PgHistory): HistoryRow {
  return {
    id: r.id,
    recordId: r.record_id,
    version: r.version,
    mutationId: r.mutation_id,
    userId: r.user_id,
    op: r.op as HistoryRow['op'],
    patch: asObject(r.patch),
    replaced: asObject(r.replaced),
    lost: r.lost === null ? null : asObject(r.lost),
    won: r.won === null ? null : asObject(r.won),
    at: r.at,
  };
}

export interface StoredRaw {
  mutation_id: string;
  result: unknown;
  payload_hash: string | null;
}

export function toStored(r: StoredRaw): StoredResult {
  return { mutationId: r.mutation_id, result: asObject(r.result), payloadHash: r.payload_hash };
}

/** Stored JSON is ours, but read it tolerantly: anything but an object reads as empty. */
export function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A JSONB parameter: always sent as JSON text (pg would turn a JS array into a PG array). */
export function json(v: unknown): string {
  return JSON.stringify(v);
}
