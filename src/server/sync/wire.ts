// A stored record as it goes out on the wire: its fields plus the server-derived owner fields. The
// citizenKey never leaves the server (docs/privacy.md): not in pull, push answers or review reads.
import type { RecordRow } from '../store/store.ts';

/** Fields of stored data that no answer carries. */
export const SERVER_ONLY_FIELDS: ReadonlySet<string> = new Set(['citizenKey']);

/** `data` without the server-only fields (a copy; null and non-objects pass through). */
export function withoutServerOnly<T>(data: T): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !SERVER_ONLY_FIELDS.has(k))) as T;
}

export function wireRecord(row: RecordRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...withoutServerOnly(row.data),
    volunteerId: row.volunteerId,
    teamId: row.teamId,
    communeCode: row.communeCode,
  };
  // Review is server-derived: a volunteer sees "has issues" and the comment on the phone.
  if (row.reviewState) {
    out.reviewState = row.reviewState;
    out.reviewComment = row.reviewComment ?? null;
  }
  return out;
}
