// Group sessions and the commune's topic list on PostgreSQL (docs/group-sessions.md): the statements
// behind the Store's session methods, kept apart from the records' so each reads on its own.
import type { SessionTopic } from '../../../shared/index.ts';
import { sessionColumns } from './columns.ts';
import type { ReviewEntry } from '../reviews/types.ts';
import type { SessionListQuery, SessionRow, SessionsReads, SessionsTx } from './types.ts';
import { PgPart, type PgQuery } from '../postgres/conn.ts';
import { RECORD_COLUMNS, RECORD_SELECT, toRecord, type RecordCells } from '../rows.ts';
import { json } from '../postgres/rows.ts';

export async function getSessionsPg(q: PgQuery, ids: readonly string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  const rows = await q.rows<RecordCells>(
    `SELECT ${RECORD_SELECT} FROM group_sessions WHERE id = ANY($1::text[])`,
    [[...ids]],
  );
  return rows.map(toRecord);
}

export async function putSessionsPg(q: PgQuery, rows: readonly SessionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = rows.map(sessionColumns);
  await q.run(
    `INSERT INTO group_sessions (${RECORD_COLUMNS}, held_on, hamlet_id, topic, attendees)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::boolean[],
       $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[],
       $13::text[], $14::int[])
     ON CONFLICT (id) DO UPDATE SET commune_code = EXCLUDED.commune_code, team_id = EXCLUDED.team_id,
       volunteer_id = EXCLUDED.volunteer_id, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
       data = EXCLUDED.data, field_meta = EXCLUDED.field_meta, updated_at = EXCLUDED.updated_at,
       held_on = EXCLUDED.held_on, hamlet_id = EXCLUDED.hamlet_id, topic = EXCLUDED.topic,
       attendees = EXCLUDED.attendees`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.communeCode),
      rows.map((r) => r.teamId),
      rows.map((r) => r.volunteerId),
      rows.map((r) => r.version),
      rows.map((r) => r.deleted),
      rows.map((r) => json(r.data)),
      rows.map((r) => json(r.fieldMeta)),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.updatedAt),
      cols.map((c) => c.heldOn),
      cols.map((c) => c.hamletId),
      cols.map((c) => c.topic),
      cols.map((c) => c.attendees),
    ],
  );
}

export async function sessionTopicsPg(q: PgQuery, communeCode: string): Promise<SessionTopic[]> {
  const rows = await q.rows<{ code: string; label: string; active: boolean }>(
    'SELECT code, label, active FROM session_topics WHERE commune_code = $1 ORDER BY sort_order, code',
    [communeCode],
  );
  return rows.map((r) => ({ code: r.code, label: r.label, active: r.active }));
}

export async function putSessionTopicsPg(
  q: PgQuery,
  communeCode: string,
  topics: readonly SessionTopic[],
): Promise<void> {
  await q.run('DELETE FROM session_topics WHERE commune_code = $1', [communeCode]);
  await q.run(
    `INSERT INTO session_topics (commune_code, code, label, active, sort_order)
     SELECT $1, code, label, active, n - 1 FROM unnest($2::text[], $3::text[], $4::boolean[])
       WITH ORDINALITY AS t(code, label, active, n)`,
    [communeCode, topics.map((t) => t.code), topics.map((t) => t.label), topics.map((t) => t.active)],
  );
}

export async function setSessionReviewPg(q: PgQuery, e: ReviewEntry): Promise<void> {
  await q.run(
    'UPDATE group_sessions SET review_state = $1, review_comment = $2, version = $3, updated_at = $4 WHERE id = $5',
    [e.state, e.comment, e.version, e.at, e.recordId],
  );
  await q.run(
    'INSERT INTO record_reviews (record_id, version, state, comment, user_id, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.recordId, e.version, e.state, e.comment, e.userId, e.at],
  );
}

export async function listSessionsPg(q: PgQuery, s: SessionListQuery): Promise<SessionRow[]> {
  const params: unknown[] = [];
  const next = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`commune_code = ${next(s.communeCode)}`, 'NOT deleted'];
  if (s.scope.kind === 'team') where.push(`team_id = ${next(s.scope.teamId)}`);
  else if (s.scope.kind === 'volunteer') where.push(`volunteer_id = ${next(s.scope.userId)}`);
  if (s.teamId !== undefined) where.push(`team_id = ${next(s.teamId)}`);
  if (s.from !== undefined) where.push(`held_on >= ${next(s.from)}`);
  if (s.to !== undefined) where.push(`held_on <= ${next(s.to)}`);
  if (s.hamletId !== undefined) where.push(`hamlet_id = ${next(s.hamletId)}`);
  if (s.topic !== undefined) where.push(`topic = ${next(s.topic)}`);
  if (s.after !== undefined) {
    const day = next(s.after.heldOn);
    where.push(`(held_on < ${day} OR (held_on = ${day} AND id < ${next(s.after.id)}))`);
  }
  const rows = await q.rows<RecordCells>(
    `SELECT ${RECORD_SELECT} FROM group_sessions WHERE ${where.join(' AND ')}
     ORDER BY held_on DESC, id DESC LIMIT ${next(s.limit)}`,
    params,
  );
  return rows.map(toRecord);
}

export class PgSessionsReads extends PgPart implements SessionsReads {
  // Group sessions are sync data: read under the counter lock in a transaction.
  async getSession(id: string): Promise<SessionRow | null> {
    await this.ready();
    const [row] = await getSessionsPg(this.conn, [id]);
    return row ?? null;
  }
  async sessionTopics(communeCode: string): Promise<SessionTopic[]> {
    return sessionTopicsPg(this.conn, communeCode);
  }
}

export class PgSessionsTx extends PgSessionsReads implements SessionsTx {
  async getSessions(ids: readonly string[]): Promise<SessionRow[]> {
    await this.ready();
    return getSessionsPg(this.conn, ids);
  }
  async putSessions(rows: readonly SessionRow[]): Promise<void> {
    await this.ready();
    await putSessionsPg(this.conn, rows);
  }
  async putSessionTopics(communeCode: string, topics: readonly SessionTopic[]): Promise<void> {
    await putSessionTopicsPg(this.conn, communeCode, topics);
  }
  async setSessionReview(e: ReviewEntry): Promise<void> {
    await this.ready();
    await setSessionReviewPg(this.conn, e);
  }
}
