// Writes and queries of local group sessions (docs/group-sessions.md). A session travels in the
// same outbox as a record: every write stores the session and its outbox row (kind 'session') in
// ONE transaction, with the seq taken from the same counter in meta, as records-repo.ts does.
import { liveQuery, type Observable } from 'dexie';
import {
  SESSION_FIELDS,
  applySessionPatch,
  attendeeTotal,
  newId,
  topicsOrDefault,
  type GroupSession,
  type GroupSessionPatch,
  type SessionTopic,
} from '../../shared/index.ts';
import type { LocalGroupSession, OutboxRow, SotayDB } from './database.ts';
import { getMeta, getSyncMeta, putMeta } from './meta-repo.ts';
import { NotLoggedInError } from './records-repo.ts';
import { guardStorage } from './storage.ts';

export class SessionGoneError extends Error {
  constructor(id: string) {
    super(`No group session ${id} on this device`);
    this.name = 'SessionGoneError';
  }
}

/** Inside an rw transaction over groupSessions, outbox and meta: append one session mutation. */
async function enqueueSession(
  db: SotayDB,
  row: Omit<OutboxRow, 'seq' | 'mutationId' | 'kind'>,
): Promise<void> {
  const sync = await getSyncMeta(db);
  if (!sync) throw new NotLoggedInError();
  const seq = sync.nextSeq;
  await db.outbox.add({ seq, mutationId: newId(), kind: 'session', ...row });
  await putMeta(db, 'sync', { ...sync, nextSeq: seq + 1 });
}

/** The wire fields of a local session (no sync bookkeeping, no nulls). */
export function sessionWireFields(s: LocalGroupSession): GroupSession {
  const out: Record<string, unknown> = {};
  for (const f of SESSION_FIELDS) if (s[f] !== undefined && s[f] !== null) out[f] = s[f];
  return out as GroupSession;
}

/**
 * Store a new, already validated session and its first upsert (the whole session as the patch).
 * The hamlet becomes the one the next form starts with. A failed write aborts everything.
 */
export function saveNewSession(db: SotayDB, session: GroupSession, now: Date = new Date()): Promise<void> {
  return guardStorage(() =>
    db.transaction('rw', [db.groupSessions, db.outbox, db.meta], async () => {
      const [sync, prefs] = await Promise.all([getSyncMeta(db), getMeta(db, 'prefs')]);
      if (!sync) throw new NotLoggedInError();
      const row: OutboxRow = {
        seq: sync.nextSeq,
        mutationId: newId(),
        recordId: session.id,
        kind: 'session',
        op: 'upsert',
        baseVersion: 0,
        patch: { ...session },
        createdAt: now.toISOString(),
      };
      await Promise.all([
        db.groupSessions.add({
          ...session,
          attendees: attendeeTotal(session.attendance),
          serverVersion: 0,
          syncState: 'to_post',
        }),
        db.outbox.add(row),
        putMeta(db, 'sync', { ...sync, nextSeq: sync.nextSeq + 1 }),
        putMeta(db, 'prefs', { ...prefs, lastHamletId: session.hamletId }),
      ]);
    }),
  );
}

/**
 * Change fields of a stored session; only the changed fields travel (null clears the note), on
 * top of the version the server last confirmed. A session the server never accepted (its create
 * was rejected, nothing queued) goes whole again, as a create.
 */
export function saveSessionEdit(
  db: SotayDB,
  id: string,
  patch: GroupSessionPatch,
  now: Date = new Date(),
): Promise<LocalGroupSession> {
  return guardStorage(() =>
    db.transaction('rw', [db.groupSessions, db.outbox, db.meta], async () => {
      const current = await db.groupSessions.get(id);
      if (!current || current.deleted) throw new SessionGoneError(id);
      const full = { ...patch, updatedAt: now.toISOString() };
      const merged = applySessionPatch(current, full) as LocalGroupSession;
      const next: LocalGroupSession = {
        ...merged,
        attendees: attendeeTotal(merged.attendance),
        syncState: current.serverVersion > 0 ? 'to_update' : 'to_post',
      };
      delete next.syncError;
      const neverAccepted =
        current.serverVersion === 0 && (await db.outbox.where('recordId').equals(id).count()) === 0;
      await db.groupSessions.put(next);
      await enqueueSession(db, {
        recordId: id,
        op: 'upsert',
        baseVersion: current.serverVersion,
        patch: neverAccepted ? { ...sessionWireFields(next) } : full,
        createdAt: now.toISOString(),
      });
      return next;
    }),
  );
}

/** Delete through the outbox: the row stays hidden until the server acknowledges the tombstone. */
export function deleteSession(db: SotayDB, id: string, now: Date = new Date()): Promise<void> {
  return guardStorage(() =>
    db.transaction('rw', [db.groupSessions, db.outbox, db.meta], async () => {
      const current = await db.groupSessions.get(id);
      if (!current || current.deleted) return;
      const next: LocalGroupSession = {
        ...current,
        deleted: true,
        syncState: current.serverVersion > 0 ? 'to_update' : 'to_post',
      };
      delete next.syncError;
      await db.groupSessions.put(next);
      await enqueueSession(db, {
        recordId: id,
        op: 'delete',
        baseVersion: current.serverVersion,
        patch: {},
        createdAt: now.toISOString(),
      });
    }),
  );
}

/** Keep a lead's review answer on the session (no outbox row: the next pull brings the same). */
export async function storeSessionReview(
  db: SotayDB,
  id: string,
  review: Pick<LocalGroupSession, 'reviewState' | 'reviewComment'>,
): Promise<void> {
  await db.groupSessions.update(id, review);
}

/** One session as stored, unless it is gone or deleted here. */
export async function getGroupSession(db: SotayDB, id: string): Promise<LocalGroupSession | undefined> {
  const s = await db.groupSessions.get(id);
  return s && !s.deleted ? s : undefined;
}

/** Newest day first; the same day, newest id first (ids are time-ordered UUIDv7). */
function newestFirst(a: LocalGroupSession, b: LocalGroupSession): number {
  if (a.heldOn !== b.heldOn) return a.heldOn < b.heldOn ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Own = logged on this device (no volunteerId yet) or pulled with this user's id. */
export function isOwnSession(s: LocalGroupSession, userId: string): boolean {
  return s.volunteerId === undefined || s.volunteerId === null || s.volunteerId === userId;
}

/** The user's own live sessions, newest first (a team logs a few a week: the table stays small). */
export async function listOwnSessions(db: SotayDB, userId: string): Promise<LocalGroupSession[]> {
  const all = await db.groupSessions.filter((s) => !s.deleted && isOwnSession(s, userId)).toArray();
  return all.sort(newestFirst);
}

/** Every live session on this device, newest first: for a lead, the team's as pulled. */
export async function listAllSessions(db: SotayDB): Promise<LocalGroupSession[]> {
  const all = await db.groupSessions.filter((s) => !s.deleted).toArray();
  return all.sort(newestFirst);
}

/** The list a role sees, kept current by every write and pull. */
export function sessionsQuery(
  db: SotayDB,
  scope: 'mine' | 'team',
  userId: string,
): Observable<LocalGroupSession[]> {
  return liveQuery(() => (scope === 'team' ? listAllSessions(db) : listOwnSessions(db, userId)));
}

/** The commune's whole topic list as last pulled (retired ones included), else the defaults. */
export async function sessionTopics(db: SotayDB): Promise<SessionTopic[]> {
  return topicsOrDefault((await getMeta(db, 'sessionTopics')) ?? []);
}

/** The topics a new session may use: the active ones, plus `keep` (an edited session's own topic). */
export function topicsForForm(topics: readonly SessionTopic[], keep?: string): SessionTopic[] {
  return topics.filter((t) => t.active || t.code === keep);
}

/** A topic's label for a list (a retired topic keeps its name; an unknown code shows as it came). */
export function topicLabel(topics: readonly SessionTopic[], code: string): string {
  return topics.find((t) => t.code === code)?.label ?? code;
}

/** Keep the admin's saved list on this phone, so its own screens show it before the next pull. */
export async function keepSessionTopics(db: SotayDB, topics: SessionTopic[]): Promise<void> {
  await putMeta(db, 'sessionTopics', topics);
}
