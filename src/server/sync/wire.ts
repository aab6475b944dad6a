// A stored record as it goes out on the wire: its fields plus the server-derived owner fields.
import type { RecordRow } from '../store/store.ts';

export function wireRecord(row: RecordRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...row.data,
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
