// Group sessions counted where the commune reports (docs/reporting.md, "Group sessions"): their
// tallies, the progress of their targets, and the SQL both stores read them with. Sessions are few (a
// team holds a few a week), so a tally reads the period's live sessions once and counts in JS,
// which keeps every figure of one answer in one read. They never enter a records figure.
import {
  ATTENDANCE_CELLS,
  formatProgressVi,
  isoWeek,
  percentOf,
  type AttendanceCell,
  type SessionCount,
  type SessionTallyDimension,
  type SessionTallyKey,
  type SessionTallyResponse,
  type TargetProgress,
} from '../../shared/index.ts';
import type { SessionFilter, SessionReportRow, Store, TargetRow } from '../store/store.ts';

/** Whether a session counts: live (the store reads no other) and, without a review-state filter, not refused. */
export function sessionCounts(row: SessionReportRow, reviewState?: string): boolean {
  if (reviewState === undefined) return row.reviewState !== 'rejected';
  return reviewState === 'none' ? row.reviewState === null : row.reviewState === reviewState;
}

function keyValue(row: SessionReportRow, d: SessionTallyDimension): string {
  switch (d) {
    case 'hamlet':
      return row.hamletId;
    case 'team':
      return row.teamId;
    case 'topic':
      return row.topic;
    case 'day':
      return row.heldOn;
    case 'week':
      return isoWeek(row.heldOn);
    case 'month':
      return row.heldOn.slice(0, 7);
    case 'quarter':
      return `${row.heldOn.slice(0, 4)}-Q${Math.floor((Number(row.heldOn.slice(5, 7)) + 2) / 3)}`;
  }
}

/** Every cell of the grid at zero. */
export function emptyAttendance(): Record<AttendanceCell, number> {
  return Object.fromEntries(ATTENDANCE_CELLS.map((c) => [c, 0])) as Record<AttendanceCell, number>;
}

/** The attendance grid of a stored session (unknown cells and bad values ignored). */
export function attendanceOf(row: SessionReportRow): Partial<Record<AttendanceCell, number>> {
  const raw = row.data.attendance;
  const out: Partial<Record<AttendanceCell, number>> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const cell of ATTENDANCE_CELLS) {
    const v = (raw as Record<string, unknown>)[cell];
    if (typeof v === 'number' && Number.isFinite(v)) out[cell] = v;
  }
  return out;
}

/**
 * The tally of sessions already read for a filter: counted sessions per group, their attendees, the
 * attendance grid, and the refused ones beside. Pure.
 */
export function tallySessions(
  rows: readonly SessionReportRow[],
  groupBy: readonly SessionTallyDimension[],
  reviewState?: string,
): SessionTallyResponse {
  const groups = new Map<string, { key: SessionTallyKey; count: SessionCount }>();
  const total: SessionCount = { sessions: 0, attendees: 0 };
  const rejected: SessionCount = { sessions: 0, attendees: 0 };
  const attendance = emptyAttendance();
  for (const row of rows) {
    if (!sessionCounts(row, reviewState)) {
      if (reviewState === undefined && row.reviewState === 'rejected') {
        rejected.sessions += 1;
        rejected.attendees += row.attendees;
      }
      continue;
    }
    total.sessions += 1;
    total.attendees += row.attendees;
    for (const [cell, n] of Object.entries(attendanceOf(row))) attendance[cell as AttendanceCell] += n;
    if (groupBy.length === 0) continue;
    const key: SessionTallyKey = {};
    for (const d of groupBy) key[d] = keyValue(row, d);
    const id = JSON.stringify(groupBy.map((d) => key[d]));
    const g = groups.get(id) ?? groups.set(id, { key, count: { sessions: 0, attendees: 0 } }).get(id);
    if (g) {
      g.count.sessions += 1;
      g.count.attendees += row.attendees;
    }
  }
  const sortKey = (k: SessionTallyKey): string => groupBy.map((d) => k[d] ?? '').join('\u0000');
  const out = [...groups.values()]
    .sort((a, b) => (sortKey(a.key) < sortKey(b.key) ? -1 : sortKey(a.key) > sortKey(b.key) ? 1 : 0))
    .map((g) => ({ key: g.key, ...g.count }));
  return { rows: out, total, attendance, rejected };
}

/** The filter whose counted sessions make a session target's `achieved`: its own scope and period. */
export function sessionTargetFilter(t: TargetRow): SessionFilter {
  return {
    scope: t.teamId ? { kind: 'team', teamId: t.teamId } : { kind: 'commune', communeCode: t.communeCode },
    communeCode: t.communeCode,
    from: t.period.from,
    to: t.period.to,
    hamlet: t.hamletId ?? undefined,
  };
}

/** Sessions held (group_sessions) or attendees summed (group_attendees) toward a session target. */
export async function sessionTargetAchieved(store: Store, t: TargetRow): Promise<number> {
  const { total } = tallySessions(await store.sessionReportRows(sessionTargetFilter(t)), []);
  return t.category === 'group_attendees' ? total.attendees : total.sessions;
}

export async function sessionTargetProgress(store: Store, t: TargetRow): Promise<TargetProgress> {
  const { communeCode: _commune, ...target } = t;
  const achieved = await sessionTargetAchieved(store, t);
  return {
    ...target,
    achieved,
    percent: percentOf(achieved, t.target),
    text: formatProgressVi(achieved, t.target),
  };
}
