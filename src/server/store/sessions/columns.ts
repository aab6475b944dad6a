// The columns of group_sessions copied from a session's data on every write, so tallies and the
// list filter without parsing JSON. Shared by both stores so the two cannot copy them differently.
import { attendeeTotal, type AttendanceCell } from '../../../shared/index.ts';
import type { RecordRow, SessionRow } from '../store.ts';

export interface SessionColumns {
  heldOn: string;
  hamletId: string;
  topic: string;
  attendees: number;
}

/** A tombstone keeps no content (its data is empty), so its columns are empty too. */
export function sessionColumns(row: SessionRow): SessionColumns {
  const d = row.data;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const attendance =
    typeof d.attendance === 'object' && d.attendance !== null
      ? (d.attendance as Partial<Record<AttendanceCell, number>>)
      : undefined;
  return {
    heldOn: text(d.heldOn),
    hamletId: text(d.hamletId),
    topic: text(d.topic),
    attendees: attendeeTotal(attendance),
  };
}

/**
 * The first `limit` of two lists each ordered by version, as one list: records and group sessions
 * come from separate tables but one change counter, so a pull page orders them together.
 */
export function mergeByVersion(
  records: readonly RecordRow[],
  sessions: readonly SessionRow[],
  limit: number,
): RecordRow[] {
  const out: RecordRow[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit) {
    const r = records[i];
    const s = sessions[j];
    if (s !== undefined && (r === undefined || s.version < r.version)) {
      out.push({ ...s, kind: 'session' });
      j += 1;
    } else if (r !== undefined) {
      out.push(r);
      i += 1;
    } else break;
  }
  return out;
}
