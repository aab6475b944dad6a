// Inserts a valid group session straight into `group_sessions` on either store, for reporting tests
// that must not depend on sync writing sessions. The session is checked against the shared schema
// first, so a row here is one the server could have stored; nobody is named in it.
import {
  attendeeTotal,
  newId,
  validateSession,
  type AttendanceCell,
  type GroupSession,
} from '../../src/shared/index.ts';
import type { TestDatabase } from './harness.ts';

export interface SessionRowInput {
  id?: string;
  communeCode?: string;
  teamId: string;
  volunteerId: string;
  heldOn: string;
  hamletId: string;
  topic: string;
  attendance: Partial<Record<AttendanceCell, number>>;
  place?: string;
  reviewState?: 'received' | 'has_issues' | 'approved' | 'rejected' | null;
  deleted?: boolean;
  version?: number;
}

let made = 0;

/** Inserts the session and answers its id. */
export async function insertSessionRow(db: TestDatabase, s: SessionRowInput): Promise<string> {
  made += 1;
  const id = s.id ?? newId();
  const at = `${s.heldOn}T09:00:00.000Z`;
  const session: GroupSession = {
    id,
    heldOn: s.heldOn,
    hamletId: s.hamletId,
    place: s.place ?? `Nhà văn hóa số ${made}`,
    topic: s.topic,
    attendance: s.attendance,
    facilitators: [`Người hướng dẫn ${made}`],
    volunteerId: s.volunteerId,
    createdAt: at,
    updatedAt: at,
  };
  const checked = validateSession(session);
  if (!checked.ok) throw new Error(`not a valid session: ${JSON.stringify(checked.issues)}`);
  const deleted = s.deleted ?? false;
  await db.exec(
    `INSERT INTO group_sessions (id, commune_code, team_id, volunteer_id, version, deleted, data,
       field_meta, held_on, hamlet_id, topic, attendees, review_state, review_comment, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      id,
      s.communeCode ?? '99001',
      s.teamId,
      s.volunteerId,
      s.version ?? 1_000_000 + made,
      db.kind === 'sqlite' ? Number(deleted) : deleted,
      JSON.stringify(checked.value),
      '{}',
      s.heldOn,
      s.hamletId,
      s.topic,
      attendeeTotal(s.attendance),
      s.reviewState ?? null,
      null,
      at,
      at,
    ],
  );
  return id;
}
