// What the group sessions' screens read and write (docs/group-sessions.md), over the device
// database: screens never touch Dexie or a repository themselves (ui → state → db).
import type { GroupSession, GroupSessionPatch, SessionTopic } from '../../shared/index.ts';
import type { LocalGroupSession, SotayDB } from '../db/database.ts';
import { getMeta } from '../db/meta-repo.ts';
import {
  deleteSession,
  keepSessionTopics,
  saveNewSession,
  saveSessionEdit,
  sessionTopics,
  sessionsQuery,
  storeSessionReview,
} from '../db/sessions-repo.ts';

export { isOwnSession, topicLabel, topicsForForm } from '../db/sessions-repo.ts';

export class GroupSessions {
  readonly #db: SotayDB;

  constructor(db: SotayDB) {
    this.#db = db;
  }

  /** Follows the list a role sees (own, or a lead's whole team); answers the stop function. */
  watch(scope: 'mine' | 'team', userId: string, next: (rows: LocalGroupSession[]) => void): () => void {
    const sub = sessionsQuery(this.#db, scope, userId).subscribe({ next, error: () => next([]) });
    return () => sub.unsubscribe();
  }

  /** The commune's whole topic list on this phone (retired ones included). */
  topics(): Promise<SessionTopic[]> {
    return sessionTopics(this.#db);
  }

  async lastHamletId(): Promise<string | undefined> {
    return (await getMeta(this.#db, 'prefs'))?.lastHamletId;
  }

  saveNew(session: GroupSession): Promise<void> {
    return saveNewSession(this.#db, session);
  }

  saveEdit(id: string, patch: GroupSessionPatch): Promise<LocalGroupSession> {
    return saveSessionEdit(this.#db, id, patch);
  }

  remove(id: string): Promise<void> {
    return deleteSession(this.#db, id);
  }

  storeReview(id: string, review: Pick<LocalGroupSession, 'reviewState' | 'reviewComment'>): Promise<void> {
    return storeSessionReview(this.#db, id, review);
  }

  keepTopics(topics: SessionTopic[]): Promise<void> {
    return keepSessionTopics(this.#db, topics);
  }
}
