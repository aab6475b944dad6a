// The SQL both stores read group sessions' tallies with (reporting/sessions.ts counts them): the
// period's live sessions of a scope, one read, every review state.
import type { Dialect } from './sql.ts';
import type { SessionFilter, SessionReportRow } from '../store.ts';

export const SESSION_REPORT_COLUMNS =
  'id, team_id, volunteer_id, held_on, hamlet_id, topic, attendees, review_state, data';

/** Live sessions of a scope and period (every review state), ordered by (held_on, id). */
export function sessionRowsSql(f: SessionFilter, dialect: Dialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const add = (v: unknown): string => {
    params.push(v);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  const parts = [`commune_code = ${add(f.communeCode)}`];
  if (f.scope.kind === 'team') parts.push(`team_id = ${add(f.scope.teamId)}`);
  if (f.scope.kind === 'volunteer') parts.push(`volunteer_id = ${add(f.scope.userId)}`);
  parts.push(dialect === 'sqlite' ? 'deleted = 0' : 'deleted = false');
  parts.push(`held_on >= ${add(f.from)}`, `held_on <= ${add(f.to)}`);
  if (f.hamlet) parts.push(`hamlet_id = ${add(f.hamlet)}`);
  if (f.team) parts.push(`team_id = ${add(f.team)}`);
  if (f.topic) parts.push(`topic = ${add(f.topic)}`);
  return {
    sql: `SELECT ${SESSION_REPORT_COLUMNS} FROM group_sessions WHERE ${parts.join(' AND ')} ORDER BY held_on, id`,
    params,
  };
}

/** A stored row as read by either driver (SQLite: JSON text; PostgreSQL: parsed JSONB). */
export interface RawSessionRow {
  id: string;
  team_id: string;
  volunteer_id: string;
  held_on: string;
  hamlet_id: string;
  topic: string;
  attendees: number | string;
  review_state: string | null;
  data: unknown;
}

export function toSessionReportRow(r: RawSessionRow): SessionReportRow {
  const data: unknown = typeof r.data === 'string' ? JSON.parse(r.data) : r.data;
  return {
    id: r.id,
    teamId: r.team_id,
    volunteerId: r.volunteer_id,
    heldOn: r.held_on,
    hamletId: r.hamlet_id,
    topic: r.topic,
    attendees: Number(r.attendees),
    reviewState: r.review_state,
    data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {},
  };
}
