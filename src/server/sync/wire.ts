// A stored record as it goes out on the wire: its fields plus the server-derived owner fields. The
// citizenKey never leaves the server (docs/privacy.md): not in pull, push answers or review reads.
import { SERVER_ONLY_FIELDS, withoutServerOnly } from '../privacy/server-only.ts';
import type { RecordRow } from '../store/store.ts';

export { SERVER_ONLY_FIELDS, withoutServerOnly };

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
