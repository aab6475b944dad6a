// A record's history and the conflicts in it, as the review endpoints answer them. Pure: stored
// history rows in, wire shapes out; stored JSON is read tolerantly.
import {
  AppError,
  AuthoredValue,
  DEFAULT_CONFLICTS_LIMIT,
  MAX_CONFLICTS_LIMIT,
  type ConflictEntry,
  type ConflictsQuery,
  type HistoryItem,
} from '../../shared/index.ts';
import type { HistoryRow } from '../store/store.ts';
import { SERVER_ONLY_FIELDS, withoutServerOnly } from './wire.ts';

function authoredMap(m: Record<string, unknown> | null): Record<string, AuthoredValue> | null {
  if (!m) return null;
  const out: Record<string, AuthoredValue> = {};
  for (const [field, v] of Object.entries(m)) {
    const parsed = AuthoredValue.safeParse(v);
    if (parsed.success)
      out[field] = { value: parsed.data.value ?? null, by: parsed.data.by, role: parsed.data.role };
  }
  return out;
}

export function historyItem(row: HistoryRow): HistoryItem {
  return {
    version: row.version,
    at: row.at,
    op: row.op,
    by: row.userId,
    patch: withoutServerOnly(row.patch),
    replaced: withoutServerOnly(row.replaced),
    lost: withoutServerOnly(authoredMap(row.lost)),
    won: withoutServerOnly(authoredMap(row.won)),
  };
}

/** One entry per field that lost in this history row, fields in name order. */
export function conflictsOf(row: HistoryRow): ConflictEntry[] {
  const lost = authoredMap(row.lost);
  if (!lost) return [];
  const won = authoredMap(row.won);
  return Object.keys(lost)
    .filter((field) => !SERVER_ONLY_FIELDS.has(field))
    .sort()
    .flatMap((field) => {
      const loser = lost[field];
      if (!loser) return [];
      return [
        {
          recordId: row.recordId,
          version: row.version,
          at: row.at,
          field,
          winner: won?.[field] ?? null,
          loser,
        },
      ];
    });
}

export interface ConflictFilter {
  afterVersion?: number;
  since?: string;
  limit: number;
}

/** `since` as a version (digits: entries above it) or a date/time (entries at or after it). */
export function conflictFilter(q: ConflictsQuery): ConflictFilter {
  const limit = q.limit === undefined ? DEFAULT_CONFLICTS_LIMIT : Number(q.limit);
  if (limit < 1 || limit > MAX_CONFLICTS_LIMIT)
    throw new AppError('invalid_request', {
      fields: [{ field: 'limit', code: 'invalid', message: `limit phải từ 1 đến ${MAX_CONFLICTS_LIMIT}.` }],
    });
  if (q.since === undefined) return { limit };
  if (/^\d+$/.test(q.since)) return { afterVersion: Number(q.since), limit };
  const t = Date.parse(q.since);
  if (Number.isNaN(t))
    throw new AppError('invalid_request', {
      fields: [
        { field: 'since', code: 'invalid', message: 'since phải là số phiên bản hoặc thời điểm ISO 8601.' },
      ],
    });
  return { since: new Date(t).toISOString(), limit };
}

/**
 * Of `rows` (ordered by version, one more than `limit` fetched), the page to answer. A page never
 * ends inside a version, so asking again with `since` = its last version skips nothing — unless a
 * single version alone fills the page.
 */
export function pageByVersion(
  rows: readonly HistoryRow[],
  limit: number,
): { page: HistoryRow[]; hasMore: boolean } {
  if (rows.length <= limit) return { page: [...rows], hasMore: false };
  const page = rows.slice(0, limit);
  const cut = rows[limit]?.version;
  const whole = page.filter((r) => r.version !== cut);
  return { page: whole.length > 0 ? whole : page, hasMore: true };
}
