// Writes and queries of local records. Every edit writes the record and its outbox row in ONE
// transaction, with the seq taken from the counter in meta, so neither exists without the other.
import { Dexie, liveQuery, type Observable } from 'dexie';
import {
  CATEGORY_CODES,
  OUTCOME_CODES,
  RECORD_FIELDS,
  SESSION_FIELDS,
  applyPatch,
  newId,
  type GroupSession,
  type LogPatch,
  type LogRecord,
} from '../../shared/index.ts';
import {
  PENDING_STATES,
  type LocalGroupSession,
  type LocalRecord,
  type OutboxRow,
  type SotayDB,
} from './database.ts';
import { countersBetween } from './counters-check.ts';
import { getMeta, getSyncMeta, putMeta } from './meta-repo.ts';
import { guardStorage } from './storage.ts';

export class NotLoggedInError extends Error {
  constructor() {
    super('No sync metadata: log in first');
    this.name = 'NotLoggedInError';
  }
}

/** Inside an rw transaction over records, outbox and meta: append one outbox row with the next seq. */
async function enqueue(db: SotayDB, row: Omit<OutboxRow, 'seq' | 'mutationId'>): Promise<void> {
  const sync = await getSyncMeta(db);
  if (!sync) throw new NotLoggedInError();
  const seq = sync.nextSeq;
  await db.outbox.add({ seq, mutationId: newId(), ...row });
  await putMeta(db, 'sync', { ...sync, nextSeq: seq + 1 });
}

/** Fields of a local record that stay on the device: never in a patch (database.ts). */
export interface DeviceOnlyFields {
  deviceCitizenKey?: string;
}

/**
 * Store a new, already validated record and its first upsert (the whole record as the patch; the
 * device-only fields go on the local record alone).
 * Both reads go out together, then every write: IndexedDB runs a transaction's requests in order,
 * so the page waits for two round trips instead of one per request (the save budget). A
 * failed write (a duplicate id, a full disk) aborts the transaction: nothing of it is stored.
 */
export function saveNewRecord(
  db: SotayDB,
  record: LogRecord,
  now: Date = new Date(),
  deviceOnly: DeviceOnlyFields = {},
): Promise<void> {
  return guardStorage(() =>
    db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      const [sync, prefs] = await Promise.all([getSyncMeta(db), getMeta(db, 'prefs')]);
      if (!sync) throw new NotLoggedInError();
      const row: OutboxRow = {
        seq: sync.nextSeq,
        mutationId: newId(),
        recordId: record.id,
        op: 'upsert',
        baseVersion: 0,
        patch: { ...record },
        createdAt: now.toISOString(),
      };
      await Promise.all([
        db.records.add({ ...record, ...deviceOnly, serverVersion: 0, syncState: 'to_post' }),
        db.outbox.add(row),
        putMeta(db, 'sync', { ...sync, nextSeq: sync.nextSeq + 1 }),
        putMeta(db, 'prefs', { ...prefs, lastHamletId: record.hamletId, lastCategory: record.category }),
      ]);
    }),
  );
}

/**
 * Inside an rw transaction over records, outbox and meta: send a record the device holds again,
 * whole, because a server restored from a backup lost it (baseVersion 0, a create) or holds an
 * older copy (baseVersion = that copy's version). sync-protocol.md, "Restored from a backup".
 */
export async function resendWhole(
  db: SotayDB,
  record: LocalRecord,
  baseVersion: number,
): Promise<LocalRecord> {
  const next: LocalRecord = {
    ...record,
    serverVersion: baseVersion,
    syncState: baseVersion > 0 ? 'to_update' : 'to_post',
  };
  delete next.syncError;
  await db.records.put(next);
  await enqueue(db, {
    recordId: record.id,
    op: 'upsert',
    baseVersion,
    patch: { ...wireFields(record) },
    createdAt: new Date().toISOString(),
  });
  return next;
}

/**
 * resendWhole for a group session: inside an rw transaction over groupSessions, outbox and meta,
 * the session goes again, whole, as a mutation of kind 'session'.
 */
export async function resendSessionWhole(
  db: SotayDB,
  session: LocalGroupSession,
  baseVersion: number,
): Promise<LocalGroupSession> {
  const next: LocalGroupSession = {
    ...session,
    serverVersion: baseVersion,
    syncState: baseVersion > 0 ? 'to_update' : 'to_post',
  };
  delete next.syncError;
  await db.groupSessions.put(next);
  await enqueue(db, {
    recordId: session.id,
    kind: 'session',
    op: 'upsert',
    baseVersion,
    patch: { ...sessionWireFields(session) },
    createdAt: new Date().toISOString(),
  });
  return next;
}

/** The wire fields of a local session (no sync bookkeeping, no attendee total, no review). */
export function sessionWireFields(session: LocalGroupSession): GroupSession {
  const out: Record<string, unknown> = {};
  for (const f of SESSION_FIELDS) if (session[f] !== undefined && session[f] !== null) out[f] = session[f];
  return out as GroupSession;
}

export class RecordGoneError extends Error {
  constructor(id: string) {
    super(`No record ${id} on this device`);
    this.name = 'RecordGoneError';
  }
}

/** The wire fields of a local record (no sync bookkeeping, no server-derived fields). */
export function wireFields(record: LocalRecord): LogRecord {
  const out: Record<string, unknown> = {};
  for (const f of RECORD_FIELDS) if (record[f] !== undefined && record[f] !== null) out[f] = record[f];
  return out as LogRecord;
}

/**
 * Change fields of a stored record; only the changed fields travel (null clears a field), on top
 * of the version the server last confirmed (baseVersion). A record the server never accepted
 * (its create was rejected) goes whole again, as a create.
 */
export function saveRecordEdit(
  db: SotayDB,
  id: string,
  patch: LogPatch,
  now: Date = new Date(),
): Promise<LocalRecord> {
  return guardStorage(() =>
    db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      const current = await db.records.get(id);
      if (!current || current.deleted) throw new RecordGoneError(id);
      const full = { ...patch, updatedAt: now.toISOString() };
      const next: LocalRecord = {
        ...applyPatch(current, full),
        syncState: current.serverVersion > 0 ? 'to_update' : 'to_post',
      };
      delete next.syncError;
      const neverAccepted =
        current.serverVersion === 0 && (await db.outbox.where('recordId').equals(id).count()) === 0;
      await db.records.put(next);
      await enqueue(db, {
        recordId: id,
        op: 'upsert',
        baseVersion: current.serverVersion,
        patch: neverAccepted ? { ...wireFields(next) } : full,
        createdAt: now.toISOString(),
      });
      return next;
    }),
  );
}

/**
 * Delete through the outbox: the row stays, hidden and marked, until the server acknowledges the
 * tombstone (then it goes). Deleting twice queues nothing more.
 */
export function deleteRecord(db: SotayDB, id: string, now: Date = new Date()): Promise<void> {
  return guardStorage(() =>
    db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      const current = await db.records.get(id);
      if (!current || current.deleted) return;
      const next: LocalRecord = {
        ...current,
        deleted: true,
        syncState: current.serverVersion > 0 ? 'to_update' : 'to_post',
      };
      delete next.syncError;
      await db.records.put(next);
      await enqueue(db, {
        recordId: id,
        op: 'delete',
        baseVersion: current.serverVersion,
        patch: {},
        createdAt: now.toISOString(),
      });
    }),
  );
}

/** One record as stored, unless it is gone or deleted here. */
export async function getLiveRecord(db: SotayDB, id: string): Promise<LocalRecord | undefined> {
  const r = await db.records.get(id);
  return r && !r.deleted ? r : undefined;
}

/** The user's records, newest day first (same day: newest id first, ids are time-ordered UUIDv7). */
export function myRecordsQuery(db: SotayDB, _userId: string, limit = 200): Observable<LocalRecord[]> {
  return liveQuery(() => myRecordsPage(db, { limit }));
}

export interface RecordFilter {
  limit: number;
  /** Keep only rows passing this test (applied on the index cursor, which stops at `limit`). */
  test?: (r: LocalRecord) => boolean;
}

/**
 * Own, live records newest first from the [own+occurredOn] index: pulled rows of teammates and
 * deleted rows are not in it. Reads only as far as `limit` matches, never the whole table.
 */
export function myRecordsPage(db: SotayDB, { limit, test }: RecordFilter): Promise<LocalRecord[]> {
  let c = db.records.where('[own+occurredOn]').between([1, Dexie.minKey], [1, Dexie.maxKey]).reverse();
  if (test) c = c.filter(test);
  return c.limit(limit).toArray();
}

export interface Tally {
  total: number;
  byCategory: Record<string, number>;
  byOutcome: Record<string, number>;
}

/** Own, live records with occurredOn in [from, to] (inclusive days), from the maintained counters. */
export async function tallyOwn(db: SotayDB, from: string, to: string): Promise<Tally> {
  return (await tallyPeriods(db, [{ from, to }]))[0]!;
}

/**
 * Tallies of several day ranges (today / week / month) from ONE key-range read of the per-day
 * counters covering them all, summed in memory: no record and no index of `records` is read.
 */
export async function tallyPeriods(
  db: SotayDB,
  spans: readonly { from: string; to: string }[],
): Promise<Tally[]> {
  if (spans.length === 0) return [];
  const from = spans.reduce((m, p) => (p.from < m ? p.from : m), spans[0]!.from);
  const to = spans.reduce((m, p) => (p.to > m ? p.to : m), spans[0]!.to);
  const rows = await countersBetween(db, from, to);
  return spans.map((p) => {
    const tally: Tally = {
      total: 0,
      byCategory: Object.fromEntries(CATEGORY_CODES.map((c) => [c, 0])),
      byOutcome: Object.fromEntries(OUTCOME_CODES.map((o) => [o, 0])),
    };
    for (const r of rows) {
      if (r.day < p.from || r.day > p.to) continue;
      tally.total += r.n;
      tally.byCategory[r.category] = (tally.byCategory[r.category] ?? 0) + r.n;
      tally.byOutcome[r.outcome] = (tally.byOutcome[r.outcome] ?? 0) + r.n;
    }
    return tally;
  });
}

/**
 * Distinct citizens among own, live records with occurredOn in [from, to], told apart by the
 * device's own key (deviceCitizenKey): the server's citizenKey never reaches the phone. Records
 * pulled from the server (made on another device) carry no device key and are not counted.
 */
export async function ownCitizens(db: SotayDB, from: string, to: string): Promise<number> {
  return (await ownCitizensPeriods(db, [{ from, to }]))[0]!;
}

/**
 * ownCitizens of several day ranges (today / week / month) from ONE key-range read of the keys of
 * the [own+occurredOn+deviceCitizenKey] index (v8) covering them all: no record is read, and only
 * own, live records with a device key have an entry (the tallies budget, docs/performance.md).
 */
export async function ownCitizensPeriods(
  db: SotayDB,
  spans: readonly { from: string; to: string }[],
): Promise<number[]> {
  if (spans.length === 0) return [];
  const from = spans.reduce((m, p) => (p.from < m ? p.from : m), spans[0]!.from);
  const to = spans.reduce((m, p) => (p.to > m ? p.to : m), spans[0]!.to);
  const keys = (await db.records
    .where('[own+occurredOn+deviceCitizenKey]')
    .between([1, from, Dexie.minKey], [1, to, Dexie.maxKey], true, true)
    .keys()) as unknown as [own: 1, day: string, deviceCitizenKey: string][];
  return spans.map((p) => {
    const seen = new Set<string>();
    for (const [, day, key] of keys) if (day >= p.from && day <= p.to) seen.add(key);
    return seen.size;
  });
}

/** The own tallies of one period with its distinct citizens (the tallies screen's answer). */
export interface OwnTally extends Tally {
  citizens: number;
}

/** tallyPeriods and ownCitizensPeriods together: a counters read and an index-keys read. */
export async function ownTallyPeriods(
  db: SotayDB,
  spans: readonly { from: string; to: string }[],
): Promise<OwnTally[]> {
  const [tallies, citizens] = await Promise.all([tallyPeriods(db, spans), ownCitizensPeriods(db, spans)]);
  return tallies.map((tally, i) => ({ ...tally, citizens: citizens[i] ?? 0 }));
}

/**
 * Everything not yet confirmed by the server, for the export escape hatch (records, group
 * sessions and outbox rows).
 */
export async function unsyncedExport(
  db: SotayDB,
): Promise<{ records: LogRecord[]; sessions: GroupSession[]; outbox: OutboxRow[] }> {
  return db.transaction('r', [db.records, db.groupSessions, db.outbox], async () => {
    const outbox = await db.outbox.orderBy('seq').toArray();
    const ids = new Set<string>(outbox.filter((o) => o.kind !== 'session').map((o) => o.recordId));
    const sessionIds = new Set<string>(outbox.filter((o) => o.kind === 'session').map((o) => o.recordId));
    for (const id of await db.records.where('syncState').notEqual('synced').primaryKeys()) ids.add(id);
    for (const id of await db.groupSessions.where('syncState').notEqual('synced').primaryKeys())
      sessionIds.add(id);
    const rows = (await db.records.bulkGet([...ids])).filter((r): r is LocalRecord => r !== undefined);
    const sessions = (await db.groupSessions.bulkGet([...sessionIds])).filter(
      (s): s is LocalGroupSession => s !== undefined,
    );
    return { records: rows.map(wireFields), sessions: sessions.map(sessionWireFields), outbox };
  });
}

/** Every record of the team on this device (a lead's pull scope), newest day first. */
export function teamRecordsQuery(db: SotayDB, limit = 200): Observable<LocalRecord[]> {
  return liveQuery(() =>
    db.records
      .orderBy('occurredOn')
      .reverse()
      .filter((r) => !r.deleted)
      .limit(limit)
      .toArray(),
  );
}

/**
 * Records and group sessions still waiting for the server (to post, to update, uploading). One
 * index count per state and table: `anyOf(…).count()` walks a cursor over every waiting record, and
 * the status bar re-runs this after each write of a sync run, on the phone's side of the sync budget.
 */
export function pendingCountQuery(db: SotayDB): Observable<number> {
  return liveQuery(async () => {
    const counts = await Promise.all(
      [db.records, db.groupSessions].flatMap((table) =>
        PENDING_STATES.map((s) => table.where('syncState').equals(s).count()),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  });
}

/** Records and sessions that would be lost by logging out: anything the server has not confirmed. */
export async function countUnsynced(db: SotayDB): Promise<number> {
  const [notSynced, sessionsNotSynced, queued] = await Promise.all([
    db.records.where('syncState').notEqual('synced').primaryKeys(),
    db.groupSessions.where('syncState').notEqual('synced').primaryKeys(),
    db.outbox.orderBy('recordId').uniqueKeys(),
  ]);
  return new Set<unknown>([...notSynced, ...sessionsNotSynced, ...queued]).size;
}
