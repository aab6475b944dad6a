// The push's steps, each testable on its own: prepare (read the next outbox chunk and mark its
// records uploading), send (post it and classify the answer), apply (fold an acknowledged answer
// into records, sessions and the outbox) and revert (the one way marked rows go back to waiting).
// SyncEngine composes them into the drain; nothing here knows about runs, events or timing.
import {
  SCHEMA_VERSION,
  newId,
  type MutationResult,
  type PushRequest,
  type PushResponse,
} from '../../shared/index.ts';
import type { LocalGroupSession, LocalRecord, OutboxRow, SotayDB } from '../db/database.ts';
import { getSyncMeta, putMeta } from '../db/meta-repo.ts';
import type { ApiFailure, ApiResult } from './api.ts';
import {
  afterPushResult,
  afterSessionPushResult,
  pendingStateFor,
  revertUploading,
  type Pusher,
  type Syncable,
} from './merge.ts';

/** The records and the group sessions some outbox rows touch. */
export interface Touched {
  ids: string[];
  sessionIds: string[];
}

/** Outbox rows of one push, and the records and sessions they touch. */
export interface Chunk extends Touched {
  rows: OutboxRow[];
}

export const NOTHING: Chunk = { rows: [], ids: [], sessionIds: [] };

/** Whether an outbox row or a pulled change is about a group session (absent kind: a record). */
export function isSession(row: { kind?: string }): boolean {
  return row.kind === 'session';
}

/** The distinct ids of the records, and of the sessions, that these outbox rows touch. */
export function touchedBy(rows: readonly OutboxRow[]): Touched {
  const ids = new Set<string>();
  const sessionIds = new Set<string>();
  for (const r of rows) (isSession(r) ? sessionIds : ids).add(r.recordId);
  return { ids: [...ids], sessionIds: [...sessionIds] };
}

// ---- prepare ----------------------------------------------------------------

/**
 * The next chunk of the outbox (at most `size` rows with a seq above `after`), its records and
 * sessions marked uploading in the same transaction: reads and writes, not a cursor walk.
 */
export async function prepareChunk(
  db: SotayDB,
  after: number,
  size: number,
  onRead?: (chunk: Chunk) => void,
): Promise<Chunk> {
  return db.transaction('rw', [db.outbox, db.records, db.groupSessions], async () => {
    const rows = await db.outbox.where('seq').above(after).limit(size).toArray();
    const chunk: Chunk = { rows, ...touchedBy(rows) };
    onRead?.(chunk);
    const { ids, sessionIds } = chunk;
    const [recs, sessions] = await Promise.all([
      ids.length > 0 ? db.records.bulkGet(ids) : none<LocalRecord>(),
      sessionIds.length > 0 ? db.groupSessions.bulkGet(sessionIds) : none<LocalGroupSession>(),
    ]);
    const marked = recs.filter((r) => waiting(r)).map(uploading);
    const markedSessions = sessions.filter((r) => waiting(r)).map(uploading);
    await Promise.all([
      marked.length > 0 ? db.records.bulkPut(marked) : undefined,
      markedSessions.length > 0 ? db.groupSessions.bulkPut(markedSessions) : undefined,
    ]);
    return chunk;
  });
}

/**
 * The outbox's first chunk as prepareChunk reads it, told (`read`) as soon as its rows are read,
 * before its records are marked uploading (`marked`: the transaction's end, which rejects if it
 * failed). The rows are handed over from a timer, outside the transaction's zone, so that what
 * the caller does next (the request, other transactions) is not taken as part of it.
 */
export function prepareChunkEarly(
  db: SotayDB,
  size: number,
  prepare: typeof prepareChunk = prepareChunk,
): { read: Promise<Chunk>; marked: Promise<void> } {
  let told: ((chunk: Chunk) => void) | undefined;
  const read = new Promise<Chunk>((resolve) => (told = resolve));
  const done = prepare(db, 0, size, (chunk) => setTimeout(() => told?.(chunk), 0));
  const marked = done.then(() => undefined);
  // Settles quietly: the caller awaits `marked` again (in its chain of writes).
  marked.catch(() => undefined);
  // A transaction that failed before its rows were read hands over nothing: the read fails too.
  return { read: Promise.race([read, done]), marked };
}

// ---- send -------------------------------------------------------------------

/** What a push answer means for the drain. */
export type PushVerdict =
  /** No usable answer: nothing is known to be stored; the run stops. */
  | { kind: 'failed'; failure: ApiFailure }
  /**
   * The server acknowledges less than it once did: it lost our seqs (restored from a backup), so
   * the gap can never be filled and the outbox goes again under a new clientId.
   */
  | { kind: 'forgotten' }
  /**
   * `acked`: the highest seq of this chunk the server holds (at least the one before the chunk);
   * `took`: how many of the chunk's rows that is; `whole`: all of them.
   */
  | { kind: 'acked'; acked: number; took: number; whole: boolean; results: MutationResult[] };

/** The push body of a chunk: the same mutation ids, seqs and content as every earlier send. */
export function pushBody(clientId: string, rows: readonly OutboxRow[]): PushRequest {
  return { clientId, schemaVersion: SCHEMA_VERSION, mutations: rows.map(toMutation) };
}

/** Classifies a push answer for a (non-empty) chunk of rows. */
export function verdictOf(rows: readonly OutboxRow[], res: ApiResult<PushResponse>): PushVerdict {
  if (!res.ok) return { kind: 'failed', failure: res.failure };
  const first = rows[0]!.seq;
  const lastSent = rows[rows.length - 1]!.seq;
  if (res.value.ackedSeq < first - 1) return { kind: 'forgotten' };
  const acked = Math.min(res.value.ackedSeq, lastSent);
  const took = rows.filter((r) => r.seq <= acked).length;
  return { kind: 'acked', acked, took, whole: acked === lastSent, results: res.value.results };
}

/** Posts a chunk under this clientId and classifies the answer. */
export async function sendChunk(
  clientId: string,
  rows: readonly OutboxRow[],
  post: (body: PushRequest) => Promise<ApiResult<PushResponse>>,
): Promise<PushVerdict> {
  return verdictOf(rows, await post(pushBody(clientId, rows)));
}

/** The outbox row as a push sends it: the same mutation id, seq and content on every path (hand-off too). */
export function toMutation(row: OutboxRow): PushRequest['mutations'][number] {
  return {
    seq: row.seq,
    mutationId: row.mutationId,
    recordId: row.recordId,
    // A record's mutation carries no kind at all, as before sessions existed.
    ...(isSession(row) ? { kind: 'session' as const } : {}),
    op: row.op,
    baseVersion: row.baseVersion,
    ...(row.op === 'upsert' ? { patch: row.patch } : {}),
  };
}

// ---- apply ------------------------------------------------------------------

/**
 * One transaction: acked outbox rows go, and every record and session they touched gets its new
 * state. `inFlight`: records and sessions of the push already on the wire, which stay marked
 * uploading. Answers how many outbox rows are left.
 */
export async function applyPushAnswer(
  db: SotayDB,
  { rows, ids, sessionIds }: Chunk,
  acked: number,
  results: readonly MutationResult[],
  pusher: Pusher,
  inFlight: ReadonlySet<string>,
): Promise<number> {
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const hasSessions = sessionIds.length > 0;
  return db.transaction('rw', [db.records, db.outbox, db.groupSessions], async () => {
    const [all, recs, allOfSessions, sessions] = await Promise.all([
      outboxRowsOf(db, ids, rows),
      db.records.bulkGet(ids),
      hasSessions ? outboxRowsOf(db, sessionIds, rows) : [],
      hasSessions ? db.groupSessions.bulkGet(sessionIds) : none<LocalGroupSession>(),
    ]);
    // A record's later rows and a session's are told apart by kind as well as by id.
    const byRecord = new Map<string, OutboxRow[]>();
    const keyOf = (r: OutboxRow): string => (isSession(r) ? `s:${r.recordId}` : r.recordId);
    for (const r of [...all.filter((r) => !isSession(r)), ...allOfSessions.filter(isSession)])
      byRecord.set(keyOf(r), [...(byRecord.get(keyOf(r)) ?? []), r]);
    const current = new Map(ids.map((id, i) => [id, recs[i]]));
    const currentSessions = new Map(sessionIds.map((id, i) => [id, sessions[i]]));
    // Only now, with the server's acknowledgement in hand, do rows leave the outbox.
    await db.outbox.where('seq').belowOrEqual(acked).delete();
    const ordered = results.filter((r) => r.seq <= acked && bySeq.has(r.seq)).sort((a, b) => a.seq - b.seq);
    for (const result of ordered) {
      const row = bySeq.get(result.seq)!;
      const later = (byRecord.get(keyOf(row)) ?? []).filter((r) => r.seq > row.seq);
      const stillPending = later.some((r) => r.seq > acked);
      if (isSession(row)) {
        const had = currentSessions.get(row.recordId);
        const effect = afterSessionPushResult(had, row, result, later, stillPending, pusher);
        if (effect.kind === 'put') currentSessions.set(row.recordId, effect.session);
        else if (effect.kind === 'delete') currentSessions.set(row.recordId, undefined);
        continue;
      }
      const effect = afterPushResult(current.get(row.recordId), row, result, later, stillPending, pusher);
      if (effect.kind === 'put') current.set(row.recordId, effect.record);
      else if (effect.kind === 'delete') current.set(row.recordId, undefined);
    }
    const records = settled(current, inFlight);
    const settledSessions = settled(currentSessions, inFlight);
    if (records.puts.length > 0) await db.records.bulkPut(records.puts);
    if (records.deletes.length > 0) await db.records.bulkDelete(records.deletes);
    if (settledSessions.puts.length > 0) await db.groupSessions.bulkPut(settledSessions.puts);
    if (settledSessions.deletes.length > 0) await db.groupSessions.bulkDelete(settledSessions.deletes);
    return db.outbox.count();
  });
}

/**
 * Every outbox row of the records `ids`, given `known` rows already read. `anyOf` walks a cursor
 * with a request per id, which a slow phone pays for a thousand times per chunk; instead one read
 * of the recordId index's primary keys over the ids' range (time-ordered UUIDv7 ids of one phone
 * lie close together) finds the seqs, and only rows not already known are read.
 */
export async function outboxRowsOf(db: SotayDB, ids: string[], known: OutboxRow[]): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  const sorted = [...ids].sort();
  const seqs = (await db.outbox
    .where('recordId')
    .between(sorted[0], sorted[sorted.length - 1], true, true)
    .primaryKeys()) as number[];
  const bySeq = new Map(known.map((r) => [r.seq, r]));
  const wanted = new Set(ids);
  const rest = seqs.filter((seq) => !bySeq.has(seq));
  const more = rest.length > 0 ? await db.outbox.bulkGet(rest) : [];
  return [...seqs.flatMap((seq) => bySeq.get(seq) ?? []), ...more]
    .filter((r): r is OutboxRow => r !== undefined && wanted.has(r.recordId))
    .sort((a, b) => a.seq - b.seq);
}

/**
 * A new clientId with the pending outbox renumbered from 1, in one transaction (the server lost
 * our seqs; mutation ids stay, so nothing applies twice).
 */
export async function renumberUnderNewClient(db: SotayDB): Promise<string> {
  const clientId = newId();
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    const pending = await db.outbox.orderBy('seq').toArray();
    await db.outbox.clear();
    await db.outbox.bulkAdd(pending.map((row, i) => ({ ...row, seq: i + 1 })));
    const meta = await getSyncMeta(db);
    if (meta) await putMeta(db, 'sync', { ...meta, clientId, nextSeq: pending.length + 1 });
  });
  return clientId;
}

// ---- revert -----------------------------------------------------------------

/** Puts the uploading records and sessions of these chunks back to waiting. */
export async function revertChunks(db: SotayDB, chunks: readonly Touched[]): Promise<void> {
  const ids = chunks.flatMap((c) => c.ids);
  const sessionIds = chunks.flatMap((c) => c.sessionIds);
  if (ids.length === 0 && sessionIds.length === 0) return;
  await db.transaction('rw', [db.records, db.groupSessions], async () => {
    const [recs, sessions] = await Promise.all([
      ids.length > 0 ? db.records.bulkGet(ids) : none<LocalRecord>(),
      sessionIds.length > 0 ? db.groupSessions.bulkGet(sessionIds) : none<LocalGroupSession>(),
    ]);
    const back = recs.filter((r) => isUploading(r)).map(revertUploading);
    const backSessions = sessions.filter((r) => isUploading(r)).map(revertUploading);
    await Promise.all([
      back.length > 0 ? db.records.bulkPut(back) : undefined,
      backSessions.length > 0 ? db.groupSessions.bulkPut(backSessions) : undefined,
    ]);
  });
}

/** Put every record and session left marked as uploading back to waiting. */
export async function revertStaleUploading(db: SotayDB): Promise<void> {
  const back = (r: Syncable): void => {
    r.syncState = pendingStateFor(r.serverVersion);
  };
  await db.records.where('syncState').equals('uploading').modify(back);
  await db.groupSessions.where('syncState').equals('uploading').modify(back);
}

// ---- helpers ----------------------------------------------------------------

/** No rows read: a bulkGet of no keys, without the request. */
export function none<T>(): Promise<(T | undefined)[]> {
  return Promise.resolve([]);
}

function waiting<T extends Syncable>(r: T | undefined): r is T {
  return r?.syncState === 'to_post' || r?.syncState === 'to_update';
}

function isUploading<T extends Syncable>(r: T | undefined): r is T {
  return r?.syncState === 'uploading';
}

function uploading<T extends Syncable>(r: T): T {
  return { ...r, syncState: 'uploading' };
}

/**
 * The rows to write after a push answer: undefined ones go; those the push on the wire carries
 * stay (or are again) marked uploading; the rest the server did not reach keep waiting.
 */
function settled<T extends Syncable>(
  current: ReadonlyMap<string, T | undefined>,
  inFlight: ReadonlySet<string>,
): { puts: T[]; deletes: string[] } {
  const puts: T[] = [];
  const deletes: string[] = [];
  for (const [id, row] of current) {
    if (!row) deletes.push(id);
    else if (inFlight.has(id)) puts.push(waiting(row) ? uploading(row) : row);
    else puts.push(isUploading(row) ? revertUploading(row) : row);
  }
  return { puts, deletes };
}
