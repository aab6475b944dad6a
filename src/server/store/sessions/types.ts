// Group sessions (docs/group-sessions.md) as the store keeps them; both stores implement these in
// sessions/sqlite.ts and sessions/postgres.ts.
import type { SessionTopic } from '../../../shared/index.ts';
import type { PullScope, RecordRow } from '../sync/types.ts';
import type { ReviewEntry } from '../reviews/types.ts';

/**
 * A group session as stored (group_sessions): a record's shape, so merge, scope and the wire treat
 * both alike. The store copies held_on, hamlet_id, topic and attendees from `data` on every write.
 */
export type SessionRow = Omit<RecordRow, 'kind'>;

/** Which live sessions GET /api/v1/sessions lists: a scope, optional filters, a page after a key. */
export interface SessionListQuery {
  scope: PullScope;
  communeCode: string;
  /** Inclusive `YYYY-MM-DD` bounds on heldOn. */
  from?: string | undefined;
  to?: string | undefined;
  hamletId?: string | undefined;
  topic?: string | undefined;
  teamId?: string | undefined;
  /** The previous page's last session: the page goes on after it, newest first. */
  after?: { heldOn: string; id: string } | undefined;
  limit: number;
}

export interface SessionsReads {
  /** A group session by id (tombstones included), or null. */
  getSession(id: string): Promise<SessionRow | null>;
  /** The commune's own topic list in its order; empty when it keeps none (the defaults apply). */
  sessionTopics(communeCode: string): Promise<SessionTopic[]>;
}

export interface SessionsTx extends SessionsReads {
  getSessions(ids: readonly string[]): Promise<SessionRow[]>;
  /** Insert or replace many group sessions (distinct ids), with their extracted columns. */
  putSessions(rows: readonly SessionRow[]): Promise<void>;
  /** Replace the commune's whole topic list, in the order given. */
  putSessionTopics(communeCode: string, topics: readonly SessionTopic[]): Promise<void>;
  /** Set a session's review state and version (its data stays) and keep the review (record_reviews). */
  setSessionReview(entry: ReviewEntry): Promise<void>;
}
