// Group sessions and the commune's topic list on SQLite (docs/group-sessions.md): the statements
// behind the Store's session methods, kept apart from the records' so each reads on its own.
import type { SessionTopic } from '../../../shared/index.ts';
import { sessionColumns } from './columns.ts';
import type { ReviewEntry } from '../reviews/types.ts';
import type { SessionListQuery, SessionRow, SessionsReads, SessionsTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';
import { RECORD_COLUMNS, RECORD_SELECT, toRecord, type RecordCells } from '../rows.ts';

export function getSessionSqlite(sql: Statements, id: string): SessionRow | null {
  const r = sql.get(`SELECT ${RECORD_SELECT} FROM group_sessions WHERE id = ?`).get(id) as
    RecordCells | undefined;
  return r ? toRecord(r) : null;
}

export function getSessionsSqlite(sql: Statements, ids: readonly string[]): SessionRow[] {
  if (ids.length === 0) return [];
  const rows = sql
    .get(`SELECT ${RECORD_SELECT} FROM group_sessions WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as RecordCells[];
  return rows.map(toRecord);
}

export function putSessionsSqlite(sql: Statements, rows: readonly SessionRow[]): void {
  const stmt = sql.get(
    `INSERT INTO group_sessions (${RECORD_COLUMNS}, held_on, hamlet_id, topic, attendees)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET commune_code = excluded.commune_code, team_id = excluded.team_id,
       volunteer_id = excluded.volunteer_id, version = excluded.version, deleted = excluded.deleted,
       data = excluded.data, field_meta = excluded.field_meta, updated_at = excluded.updated_at,
       held_on = excluded.held_on, hamlet_id = excluded.hamlet_id, topic = excluded.topic,
       attendees = excluded.attendees`,
  );
  for (const row of rows) {
    const c = sessionColumns(row);
    stmt.run(
      row.id,
      row.communeCode,
      row.teamId,
      row.volunteerId,
      row.version,
      row.deleted ? 1 : 0,
      JSON.stringify(row.data),
      JSON.stringify(row.fieldMeta),
      row.createdAt,
      row.updatedAt,
      c.heldOn,
      c.hamletId,
      c.topic,
      c.attendees,
    );
  }
}

export function sessionTopicsSqlite(sql: Statements, communeCode: string): SessionTopic[] {
  const rows = sql
    .get('SELECT code, label, active FROM session_topics WHERE commune_code = ? ORDER BY sort_order, code')
    .all(communeCode) as { code: string; label: string; active: number }[];
  return rows.map((r) => ({ code: r.code, label: r.label, active: r.active === 1 }));
}

export function putSessionTopicsSqlite(
  sql: Statements,
  communeCode: string,
  topics: readonly SessionTopic[],
): void {
  sql.get('DELETE FROM session_topics WHERE commune_code = ?').run(communeCode);
  const stmt = sql.get(
    'INSERT INTO session_topics (commune_code, code, label, active, sort_order) VALUES (?, ?, ?, ?, ?)',
  );
  topics.forEach((t, n) => stmt.run(communeCode, t.code, t.label, t.active ? 1 : 0, n));
}

export function setSessionReviewSqlite(sql: Statements, e: ReviewEntry): void {
  sql
    .get(
      'UPDATE group_sessions SET review_state = ?, review_comment = ?, version = ?, updated_at = ? WHERE id = ?',
    )
    .run(e.state, e.comment, e.version, e.at, e.recordId);
  sql
    .get(
      'INSERT INTO record_reviews (record_id, version, state, comment, user_id, at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(e.recordId, e.version, e.state, e.comment, e.userId, e.at);
}

export function listSessionsSqlite(sql: Statements, q: SessionListQuery): SessionRow[] {
  const where = ['commune_code = ?', 'deleted = 0'];
  const params: (string | number)[] = [q.communeCode];
  const add = (clause: string, ...values: (string | number)[]): void => {
    where.push(clause);
    params.push(...values);
  };
  if (q.scope.kind === 'team') add('team_id = ?', q.scope.teamId);
  else if (q.scope.kind === 'volunteer') add('volunteer_id = ?', q.scope.userId);
  if (q.teamId !== undefined) add('team_id = ?', q.teamId);
  if (q.from !== undefined) add('held_on >= ?', q.from);
  if (q.to !== undefined) add('held_on <= ?', q.to);
  if (q.hamletId !== undefined) add('hamlet_id = ?', q.hamletId);
  if (q.topic !== undefined) add('topic = ?', q.topic);
  if (q.after !== undefined)
    add('(held_on < ? OR (held_on = ? AND id < ?))', q.after.heldOn, q.after.heldOn, q.after.id);
  const rows = sql
    .get(
      `SELECT ${RECORD_SELECT} FROM group_sessions WHERE ${where.join(' AND ')}
       ORDER BY held_on DESC, id DESC LIMIT ?`,
    )
    .all(...params, q.limit) as RecordCells[];
  return rows.map(toRecord);
}

export class SqliteSessionsReads implements SessionsReads {
  constructor(protected readonly sql: Statements) {}

  async getSession(id: string): Promise<SessionRow | null> {
    return getSessionSqlite(this.sql, id);
  }
  async sessionTopics(communeCode: string): Promise<SessionTopic[]> {
    return sessionTopicsSqlite(this.sql, communeCode);
  }
}

export class SqliteSessionsTx extends SqliteSessionsReads implements SessionsTx {
  async getSessions(ids: readonly string[]): Promise<SessionRow[]> {
    return getSessionsSqlite(this.sql, ids);
  }
  async putSessions(rows: readonly SessionRow[]): Promise<void> {
    putSessionsSqlite(this.sql, rows);
  }
  async putSessionTopics(communeCode: string, topics: readonly SessionTopic[]): Promise<void> {
    putSessionTopicsSqlite(this.sql, communeCode, topics);
  }
  async setSessionReview(e: ReviewEntry): Promise<void> {
    setSessionReviewSqlite(this.sql, e);
  }
}
