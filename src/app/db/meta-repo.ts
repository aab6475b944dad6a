// Key-value rows of `meta`: the session (token, user, commune hamlets), sync bookkeeping and prefs.
import { Dexie } from 'dexie';
import type { LoginResponse } from '../../shared/index.ts';
import { newId } from '../../shared/index.ts';
import { clearHandoff } from './handoff-tables.ts';
import type { MetaKey, MetaValue, SotayDB, StoredSession, SyncMeta } from './database.ts';

export async function getMeta<K extends MetaKey>(db: SotayDB, key: K): Promise<MetaValue<K> | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValue<K> | undefined;
}

export async function putMeta<K extends MetaKey>(db: SotayDB, key: K, value: MetaValue<K>): Promise<void> {
  await db.meta.put({ key, value } as never);
}

export async function getSession(db: SotayDB): Promise<StoredSession | undefined> {
  const session = await getMeta(db, 'session');
  if (!session) return session;
  db.ownerId = session.user.id;
  // A session stored by an older app version holds the commune's secret of citizenKey: dropped here
  // and from IndexedDB (the app no longer has any use for it, and it must not stay on the phone).
  if ('citizenSecret' in session.commune) {
    const { citizenSecret: _gone, ...commune } = session.commune as StoredSession['commune'] & {
      citizenSecret?: unknown;
    };
    void forgetStoredSecret(db);
    return { ...session, commune };
  }
  return session;
}

/** Rewrite whatever session is stored now without its secret (outside any caller's transaction). */
function forgetStoredSecret(db: SotayDB): Promise<void> {
  return Dexie.ignoreTransaction(() =>
    db.transaction('rw', db.meta, async () => {
      const now = await getMeta(db, 'session');
      if (!now || !('citizenSecret' in now.commune)) return;
      const { citizenSecret: _gone, ...commune } = now.commune as StoredSession['commune'] & {
        citizenSecret?: unknown;
      };
      await putMeta(db, 'session', { ...now, commune });
    }),
  ).catch(() => undefined);
}

export function getSyncMeta(db: SotayDB): Promise<SyncMeta | undefined> {
  return getMeta(db, 'sync');
}

/**
 * Read-modify-write of the sync row in its own transaction: the seq counter lives in it, so an
 * untransacted write could roll nextSeq back under a concurrent save and reuse a seq.
 */
export function updateSyncMeta(db: SotayDB, change: (meta: SyncMeta) => SyncMeta): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    const meta = await getSyncMeta(db);
    if (meta) await putMeta(db, 'sync', change(meta));
  });
}

export class OtherUserPendingError extends Error {
  constructor() {
    super('Unsynced records of another account are on this device');
    this.name = 'OtherUserPendingError';
  }
}

/**
 * Store a fresh login in one transaction: session, a new clientId with nextSeq and cursor reset.
 * Pending outbox rows (a re-login after expiry) are renumbered from 1 so seqs stay contiguous for
 * the new clientId. Another user's synced data is dropped; their unsynced data blocks the login.
 */
export async function storeLogin(
  db: SotayDB,
  login: LoginResponse,
  clientId: string = newId(),
): Promise<StoredSession> {
  const session: StoredSession = { token: login.token, user: login.user, commune: login.commune };
  if (login.handoff) session.handoff = login.handoff;
  if (login.team) session.team = login.team;
  if (login.maxMutations) session.maxMutations = login.maxMutations;
  db.ownerId = login.user.id;
  let switched = false;
  await db.transaction('rw', [db.meta, db.outbox, db.records, db.groupSessions], async () => {
    const prev = await getSession(db);
    if (prev && prev.user.id !== login.user.id) {
      if ((await db.outbox.count()) > 0) throw new OtherUserPendingError();
      await db.records.clear();
      await db.groupSessions.clear();
      await db.meta.delete('prefs');
      switched = true;
    }
    // Card editions and topic codes are the commune's own: another commune's would pass for ours.
    if (prev && prev.commune.code !== login.commune.code) {
      await db.meta.delete('cards');
      await db.meta.delete('sessionTopics');
    }
    const pending = await db.outbox.orderBy('seq').toArray();
    if (pending.length > 0) {
      await db.outbox.clear();
      await db.outbox.bulkAdd(pending.map((row, i) => ({ ...row, seq: i + 1 })));
    }
    await putMeta(db, 'session', session);
    await putMeta(db, 'sync', { clientId, nextSeq: pending.length + 1, cursor: null, lastSyncedAt: null });
  });
  // Another person's hand-off keys and queued bundles never stay on the device (docs/handoff.md).
  if (switched) await clearHandoff(db);
  return session;
}

export async function markSessionExpired(db: SotayDB): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const s = await getSession(db);
    if (s && !s.expired) await putMeta(db, 'session', { ...s, expired: true });
  });
}

/** Forget the account and everything it synced (the caller checked nothing is unsynced). */
export async function clearAccount(db: SotayDB): Promise<void> {
  await db.transaction('rw', [db.meta, db.outbox, db.records, db.groupSessions], async () => {
    await Promise.all([db.meta.clear(), db.outbox.clear(), db.records.clear(), db.groupSessions.clear()]);
  });
  await clearHandoff(db);
}
