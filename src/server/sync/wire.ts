// A stored record as it goes out on the wire: its fields plus the server-derived owner fields.
import type { RecordRow } from '../store/store.ts';

export function wireRecord(row: RecordRow): Record<string, unknown> {
  return { ...row.data, volunteerId: row.volunteerId, teamId: row.teamId, communeCode: row.communeCode };
}
