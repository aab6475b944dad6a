// The sync engine: push the outbox in chunks, then pull, one run at a time (navigator.locks across
// tabs, a promise chain inside one). All it touches is injected: tests drive it in jsdom or Node.
import {
  DEVICE_REPORT_ROLES,
  MAX_PUSH_MUTATIONS,
  SCHEMA_VERSION,
  newId,
  type MutationResult,
  type PushRequest,
  type Role,
} from '../../shared/index.ts';
import type { LocalGroupSession, LocalRecord, OutboxRow, SotayDB, StoredSession } from '../db/database.ts';
import { getSession, getSyncMeta, markSessionExpired, putMeta, updateSyncMeta } from '../db/meta-repo.ts';
import { resendSessionWhole, resendWhole } from '../db/records-repo.ts';
import { ApiClient, type ApiFailure, type ApiResult, type SendOptions } from './api.ts';
import {
  afterPushResult,
  afterSessionPushResult,
  fromPulled,
  leftScope,
  pendingStateFor,
  revertUploading,
  sessionFromPulled,
  type Pusher,
  type Syncable,
} from './merge.ts';
import { buildDeviceReport } from './device-report.ts';
import { refreshCards } from './card-editions.ts';

/**
 * How a run ended. `outdated`: the server answered 426 (this app's record schema is too old); no
 * retry helps until the app is updated.
 */
export type SyncOutcome = 'ok' | 'no_session' | 'offline' | 'unauthorized' | 'outdated' | 'failed';
export type SyncEvent =
  | { type: 'start' }
  /** Outbox drain: `sent` mutations acknowledged so far in this run, of `total` known to wait. */
  | { type: 'progress'; sent: number; total: number }
  | { type: 'end'; outcome: SyncOutcome; at: string; status?: number; message?: string };

/** After the server refused gzip, bodies go plain for this long before gzip is tried again. */
const PLAIN_BODIES_FOR_MS = 24 * 60 * 60 * 1000;

/** Runs `fn` while holding a named lock (navigator.locks in browsers). */
export type RunLocked = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface SyncEngineOptions {
  db: SotayDB;
  /** Either a ready client or the fetch to build one with. */
  api?: ApiClient;
  fetch?: typeof fetch;
  now?: () => Date;
  /** null disables the cross-tab lock (the in-tab chain still serialises runs). */
  runLocked?: RunLocked | null;
  pullLimit?: number;
  onEvent?: (event: SyncEvent) => void;
  /** Gzip push and pull bodies when the runtime and the server allow it (default true). */
  gzip?: boolean;
}

function browserLock(): RunLocked | null {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks || typeof locks.request !== 'function') return null;
  return (name, fn) => locks.request(name, fn);
}

const REPORT_REPEAT_MS = 60 * 60 * 1000;

const MARKS = ['start', 'push', 'answer', 'prepared', 'applied', 'pull', 'pulled', 'end'] as const;
const timing = (): Performance | undefined =>
  typeof performance !== 'undefined' && typeof performance.mark === 'function' ? performance : undefined;

/** A User Timing mark (`sync:…`), for the bench's trace of a run (BENCH_SYNC_TRACE=1). */
function mark(name: (typeof MARKS)[number]): void {
  timing()?.mark(`sync:${name}`);
}

/**
 * Each run's marks replace the last run's: the browser keeps marks until cleared, and an app left
 * open for days syncs every minute (a trace shows the last run).
 */
function clearMarks(): void {
  for (const name of MARKS) timing()?.clearMarks(`sync:${name}`);
}

/** The records and the group sessions some outbox rows touch. */
interface Touched {
  ids: string[];
  sessionIds: string[];
}

/** Outbox rows of one push, and the records and sessions they touch. */
interface Chunk extends Touched {
  rows: OutboxRow[];
}

const NOTHING: Chunk = { rows: [], ids: [], sessionIds: [] };

/** Whether an outbox row or a pulled change is about a group session (absent kind: a record). */
function isSession(row: { kind?: string }): boolean {
  return row.kind === 'session';
}

/** The distinct ids of the records, and of the sessions, that these outbox rows touch. */
function touchedBy(rows: readonly OutboxRow[]): Touched {
  const ids = new Set<string>();
  const sessionIds = new Set<string>();
  for (const r of rows) (isSession(r) ? sessionIds : ids).add(r.recordId);
  return { ids: [...ids], sessionIds: [...sessionIds] };
}

/** Put every record and session left marked as uploading back to waiting. */
async function revertStaleUploading(db: SotayDB): Promise<void> {
  const back = (r: Syncable): void => {
    r.syncState = pendingStateFor(r.serverVersion);
  };
  await db.records.where('syncState').equals('uploading').modify(back);
  await db.groupSessions.where('syncState').equals('uploading').modify(back);
}

class StepFailed extends Error {
  constructor(readonly failure: ApiFailure | { kind: 'stuck' }) {
    super(failure.kind);
  }
}

/**
 * Mutations per push: what the server said at login (fewer requests at a long round trip), else
 * the protocol's floor, which every server takes.
 */
export function chunkSize(session: Pick<StoredSession, 'maxMutations'>): number {
  const max = session.maxMutations;
  return max && Number.isInteger(max) && max >= MAX_PUSH_MUTATIONS ? max : MAX_PUSH_MUTATIONS;
}

export class SyncEngine {
  readonly #db: SotayDB;
  readonly #api: ApiClient;
  readonly #now: () => Date;
  readonly #runLocked: RunLocked | null;
  readonly #pullLimit: number | undefined;
  readonly #listeners = new Set<(event: SyncEvent) => void>();
  readonly #gzip: boolean;
  /** This run's body encoding, from meta at its start; turned off when the server refuses gzip. */
  #useGzip = true;
  #plainSince: string | undefined;
  #active: Promise<SyncOutcome> | null = null;
  #queued: Promise<SyncOutcome> | null = null;
  /** What the last accepted device report said, and when (to skip repeating an unchanged one). */
  #lastReport: { key: string; at: number } | null = null;
  /** The how-to cards' edition this run's last pull page announced (docs/cards.md). */
  #cardsAnnounced: number | undefined;

  constructor(opts: SyncEngineOptions) {
    this.#db = opts.db;
    this.#api = opts.api ?? new ApiClient(opts.fetch ? { fetch: opts.fetch } : {});
    this.#now = opts.now ?? (() => new Date());
    this.#runLocked = opts.runLocked === undefined ? browserLock() : opts.runLocked;
    this.#pullLimit = opts.pullLimit;
    this.#gzip = opts.gzip ?? true;
    if (opts.onEvent) this.#listeners.add(opts.onEvent);
  }

  /** Listen to start/end of runs; returns the unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get running(): boolean {
    return this.#active !== null;
  }

  /**
   * Push then pull. A call during a run queues one more run (so a record saved meanwhile goes out);
   * further calls share that queued run.
   */
  syncNow(): Promise<SyncOutcome> {
    if (this.#queued) return this.#queued;
    if (this.#active) {
      const queued = this.#active.then(() => {
        this.#queued = null;
        return this.#start();
      });
      this.#queued = queued;
      return queued;
    }
    return this.#start();
  }

  #start(): Promise<SyncOutcome> {
    const run = (this.#runLocked ? this.#runLocked('sync', () => this.#run()) : this.#run()).finally(() => {
      if (this.#active === run) this.#active = null;
    });
    this.#active = run;
    return run;
  }

  #emit(event: SyncEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's bug must not stop sync.
      }
    }
  }

  async #run(): Promise<SyncOutcome> {
    clearMarks();
    mark('start');
    this.#emit({ type: 'start' });
    let outcome: SyncOutcome = 'ok';
    let failure: ApiFailure | undefined;
    let report: (() => Promise<void>) | undefined;
    let cards: (() => Promise<unknown>) | undefined;
    this.#cardsAnnounced = undefined;
    try {
      const session = await getSession(this.#db);
      const meta = await getSyncMeta(this.#db);
      if (!session || !meta) outcome = 'no_session';
      else if (session.expired) outcome = 'unauthorized';
      else {
        this.#chooseEncoding(meta.plainBodiesSince);
        let clientId = meta.clientId;
        for (;;) {
          // The pull goes out while the last push answer is still being written (`settled`, which
          // tells how many outbox rows are left): it waits for that write before storing a page.
          const drained = await this.#push(session.token, clientId, session.user, chunkSize(session));
          clientId = drained.clientId;
          mark('pull');
          const resent = await this.#pull(session.token, clientId, drained.settled, session.user);
          mark('pulled');
          // Saved during the last push, after the chunk that would have carried it was read, or
          // records a restored server lost, queued again by the pull: once more.
          if ((await drained.settled) === 0 && resent === 0) break;
        }
        const at = this.#now().toISOString();
        await updateSyncMeta(this.#db, (m) => ({ ...m, lastSyncedAt: at }));
        // Only the roles the report is for: another's would be refused, and logged as a denial.
        if (isReportingRole(session.user.role)) report = () => this.#reportDevice(session.token, clientId);
        const announced = this.#cardsAnnounced;
        if (announced !== undefined)
          cards = () => refreshCards(this.#db, this.#api, session.token, announced);
      }
    } catch (err) {
      if (err instanceof StepFailed && err.failure.kind !== 'stuck') {
        failure = err.failure;
        outcome =
          failure.kind === 'network'
            ? 'offline'
            : failure.kind === 'unauthorized'
              ? 'unauthorized'
              : failure.status === 426
                ? 'outdated'
                : 'failed';
      } else {
        outcome = 'failed';
      }
    }
    if (outcome !== 'ok') {
      // Whatever stopped the run, nothing may stay marked as uploading.
      await revertStaleUploading(this.#db).catch(() => undefined);
    }
    if (outcome === 'unauthorized') await markSessionExpired(this.#db).catch(() => undefined);
    const end: SyncEvent = { type: 'end', outcome, at: this.#now().toISOString() };
    if (failure && failure.kind !== 'network') end.status = failure.status;
    if (failure && 'message' in failure && failure.message) end.message = failure.message;
    mark('end');
    this.#emit(end);
    // The records are in sync once `end` says so: the device report is bookkeeping the user does
    // not wait for (a round trip on a slow link), sent after, still inside this run and its lock.
    if (outcome === 'ok' && report) await report().catch(() => undefined);
    // A new edition of the how-to cards, when announced: bookkeeping too, never a failed sync.
    if (outcome === 'ok' && cards) await cards().catch(() => undefined);
    return outcome;
  }

  // ---- encoding -----------------------------------------------------------

  #chooseEncoding(plainSince: string | undefined): void {
    this.#plainSince = plainSince;
    const since = plainSince ? Date.parse(plainSince) : NaN;
    // A clock moved by years must not pin plain bodies forever: any distance counts.
    const recent = Number.isFinite(since) && Math.abs(this.#now().getTime() - since) < PLAIN_BODIES_FOR_MS;
    this.#useGzip = this.#gzip && !recent;
  }

  /** One request with this run's encoding; remembers in meta when the server refuses (or takes) gzip. */
  async #call<T>(request: (opts: SendOptions) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const gzip = this.#useGzip;
    const res = await request({ gzip });
    if (res.gzipRefused) {
      this.#useGzip = false;
      const at = this.#now().toISOString();
      this.#plainSince = at;
      await updateSyncMeta(this.#db, (m) => ({ ...m, plainBodiesSince: at }));
    } else if (gzip && res.ok && this.#plainSince) {
      this.#plainSince = undefined;
      await updateSyncMeta(this.#db, ({ plainBodiesSince: _, ...m }) => m);
    }
    return res;
  }

  // ---- push ---------------------------------------------------------------

  /**
   * Pushes the outbox; answers the clientId it ended with (a new one if the server lost our seqs)
   * and `settled`: the last answer's write, still going on, which resolves to the outbox rows left.
   *
   * One push is on the wire at a time, and each goes out only after the previous answer arrived
   * and acknowledged all of its chunk (the server takes seqs from `ackedSeq + 1` only). The phone's
   * own work overlaps the wire instead (the sync budget): while a push is in flight the next
   * chunk is read and its records marked uploading, and an answer is written to the database while
   * the next push is already out. Answers are written in order, one transaction per chunk.
   */
  async #push(
    token: string,
    clientId: string,
    pusher: Pusher,
    size: number,
  ): Promise<{ clientId: string; settled: Promise<number> }> {
    const db = this.#db;
    // A run cut short (tab closed mid-request) may have left records marked as uploading.
    await revertStaleUploading(db);
    let sent = 0;
    let total = await db.outbox.count();
    if (total > 0) this.#emit({ type: 'progress', sent, total });
    /** The last answer being written while the next push is on the wire (answers apply in order). */
    let applying: Promise<void> = Promise.resolve();
    /** Read (and marked uploading) while the previous push was in flight; null: read afresh. */
    let prepared: Promise<Chunk> | null = null;
    /** Whether an answer was taken (then `applying` writes it and counts the rows `left`). */
    let answered = false;
    let left = 0;
    try {
      for (;;) {
        let chunk: Chunk;
        if (prepared) chunk = await prepared;
        else {
          // Nothing was read ahead (the first chunk, or a read again): the push leaves as soon as the
          // rows are read, and its records are marked uploading while it is on the wire; its answer
          // is written only after that (`applying`), and a failure reverts only once it is done.
          const early = this.#prepareChunkEarly(size);
          chunk = await early.read;
          const before = applying;
          applying = before.then(() => early.marked);
        }
        prepared = null;
        if (chunk.rows.length === 0) {
          // Drained, as far as the chunk read during the last request saw. The last answer may still
          // be being written: the caller waits for it (its transaction counts the rows left, which
          // a save after that read would leave).
          const last = applying;
          return { clientId, settled: answered ? last.then(() => left) : Promise.resolve(0) };
        }
        const { rows } = chunk;
        const first = rows[0]!.seq;
        const lastSent = rows[rows.length - 1]!.seq;
        const body: PushRequest = {
          clientId,
          schemaVersion: SCHEMA_VERSION,
          mutations: rows.map(toMutation),
        };
        mark('push');
        const answer = this.#call((opts) => this.#api.push(token, body, opts));
        // While it is on the wire: the previous answer is written, then the next chunk is read.
        const next = applying.then(() => this.#prepareChunk(lastSent, size));
        // Settles quietly: whoever uses it awaits it again.
        next.catch(() => undefined);
        const res = await answer;
        mark('answer');
        await applying;
        if (!res.ok) {
          await this.#revert([chunk, await next.catch(() => NOTHING)]);
          throw new StepFailed(res.failure);
        }
        if (res.value.ackedSeq < first - 1) {
          // The server acknowledges less than it once did: it lost state (restored from a backup).
          // The rows in between already left the outbox, so the gap can never be filled: go on under
          // a new clientId from seq 1 (sync-protocol.md). Mutation ids stay, so nothing applies twice.
          // The chunk read meanwhile carries the old seqs: it goes.
          await this.#revert([chunk, await next.catch(() => NOTHING)]);
          clientId = await this.#newClient();
          applying = Promise.resolve();
          continue;
        }
        const acked = Math.min(res.value.ackedSeq, lastSent);
        const whole = acked === lastSent;
        // The next chunk may go out at once only if this answer took all of this one: after a shorter
        // acknowledgement the server waits for `acked + 1`, so the chunk read from `lastSent + 1`
        // goes (its records back to waiting) and the outbox is read again from `acked + 1`.
        const following: Chunk | null = whole ? await next : null;
        if (!whole) await this.#revert([await next.catch(() => NOTHING)]);
        if (following) prepared = Promise.resolve(following);
        // Progress is saved per chunk: acked rows leave the outbox with their records' new states.
        // Records that the next push carries stay marked uploading.
        const inFlight = new Set<string>([...(following?.ids ?? []), ...(following?.sessionIds ?? [])]);
        const took = rows.filter((r) => r.seq <= acked).length;
        answered = true;
        applying = this.#applyPushAnswer(rows, chunk, acked, res.value.results, pusher, inFlight).then(
          (rest) => {
            mark('applied');
            left = rest;
            sent += took;
            total = sent + rest;
            this.#emit({ type: 'progress', sent, total });
          },
        );
        // Still ours to catch: a failed write surfaces at the next `await applying`.
        applying.catch(() => undefined);
        if (!whole) {
          await applying;
          // The server took none of them (a gap in seqs it must resend from): stop, retry later.
          if (acked < first) throw new StepFailed({ kind: 'stuck' });
        }
      }
    } catch (err) {
      // Whatever stops the drain, the answer being written finishes first (its rows were acked).
      await applying.catch(() => undefined);
      if (prepared) await this.#revert([await prepared.catch(() => NOTHING)]);
      throw err;
    }
  }

  /**
   * The next chunk of the outbox (at most `size` rows with a seq above `after`), its records and
   * sessions marked uploading in the same transaction: reads and writes, not a cursor walk.
   */
  async #prepareChunk(after: number, size: number, onRead?: (chunk: Chunk) => void): Promise<Chunk> {
    const db = this.#db;
    return db
      .transaction('rw', [db.outbox, db.records, db.groupSessions], async () => {
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
      })
      .finally(() => mark('prepared'));
  }

  /**
   * The outbox's first chunk as #prepareChunk reads it, told (`read`) as soon as its rows are read,
   * before its records are marked uploading (`marked`: the transaction's end, which rejects if it
   * failed). The rows are handed over from a timer, outside the transaction's zone, so that what
   * the caller does next (the request, other transactions) is not taken as part of it.
   */
  #prepareChunkEarly(size: number): { read: Promise<Chunk>; marked: Promise<void> } {
    let told: ((chunk: Chunk) => void) | undefined;
    const read = new Promise<Chunk>((resolve) => (told = resolve));
    const done = this.#prepareChunk(0, size, (chunk) => setTimeout(() => told?.(chunk), 0));
    const marked = done.then(() => undefined);
    // Settles quietly: the caller awaits `marked` again (as `applying`).
    marked.catch(() => undefined);
    // A transaction that failed before its rows were read hands over nothing: the read fails too.
    return { read: Promise.race([read, done]), marked };
  }

  /**
   * Best effort: the supervisor's reconciliation view compares these counts with the server's.
   * Runs after every good sync, but an unchanged report goes out at most hourly (a timer sync every
   * minute would otherwise add a request each time).
   */
  async #reportDevice(token: string, clientId: string): Promise<void> {
    const now = this.#now();
    const report = await buildDeviceReport(this.#db, clientId, now);
    const key = JSON.stringify([report.clientId, report.pending, report.periodCounts]);
    const last = this.#lastReport;
    if (last && last.key === key && now.getTime() - last.at < REPORT_REPEAT_MS) return;
    if (await this.#api.reportDevice(token, report)) this.#lastReport = { key, at: now.getTime() };
  }

  /** A new clientId with the pending outbox renumbered from 1, in one transaction. */
  async #newClient(): Promise<string> {
    const db = this.#db;
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

  /** Puts the uploading records and sessions of these chunks back to waiting. */
  async #revert(chunks: Touched[]): Promise<void> {
    const db = this.#db;
    const ids = chunks.flatMap((c) => c.ids);
    const sessionIds = chunks.flatMap((c) => c.sessionIds);
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

  /**
   * One transaction: acked outbox rows go, and every record and session they touched gets its new
   * state. `inFlight`: records and sessions of the push already on the wire, which stay marked
   * uploading. Answers how many outbox rows are left.
   */
  async #applyPushAnswer(
    rows: OutboxRow[],
    { ids, sessionIds }: Touched,
    acked: number,
    results: MutationResult[],
    pusher: Pusher,
    inFlight: ReadonlySet<string>,
  ): Promise<number> {
    const db = this.#db;
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

  // ---- pull ---------------------------------------------------------------

  /** Pulls every page; answers how many records a restored server lacked and were queued again. */
  async #pull(
    token: string,
    clientId: string,
    before: Promise<unknown>,
    user: Pusher & { role?: Role },
  ): Promise<number> {
    try {
      return await this.#pullPages(token, clientId, before, user);
    } finally {
      // Whatever the pull did, the push answer being written finishes first (its rows were acked).
      await before;
    }
  }

  async #pullPages(
    token: string,
    clientId: string,
    before: Promise<unknown>,
    user: Pusher & { role?: Role },
  ): Promise<number> {
    const db = this.#db;
    let cursor = (await getSyncMeta(db))?.cursor ?? null;
    let resent = 0;
    for (let page = 0; ; page++) {
      const body = { clientId, cursor, ...(this.#pullLimit ? { limit: this.#pullLimit } : {}) };
      const res = await this.#call((opts) => this.#api.pull(token, body, opts));
      if (!res.ok) throw new StepFailed(res.failure);
      await before;
      const { changes, hasMore, reset } = res.value;
      const startsSnapshot = page === 0 && (cursor === null || reset === true);
      await db.transaction('rw', [db.records, db.outbox, db.meta, db.groupSessions], async () => {
        const meta = await getSyncMeta(db);
        if (!meta) throw new Error('sync meta vanished');
        let mark = startsSnapshot || (reset && !meta.snapshotMark) ? newId() : meta.snapshotMark;
        // A server restored from a backup: what this device holds newer than the snapshot, or that
        // the snapshot lacks, was lost with the server, not changed by others: it is sent again.
        const restored = res.value.restored === true || (!startsSnapshot && meta.restoredSnapshot === true);
        const recordChanges = changes.filter((c) => !isSession(c));
        const sessionChanges = changes.filter(isSession);
        const ids = recordChanges.map((c) => c.id);
        const sessionIds = sessionChanges.map((c) => c.id);
        const [existing, existingSessions, pending] = await Promise.all([
          db.records.bulkGet(ids),
          sessionIds.length > 0 ? db.groupSessions.bulkGet(sessionIds) : none<LocalGroupSession>(),
          db.outbox
            .where('recordId')
            .anyOf(changes.map((c) => c.id))
            .toArray(),
        ]);
        const puts: LocalRecord[] = [];
        const deletes: string[] = [];
        const newer: LocalRecord[] = [];
        recordChanges.forEach((change, i) => {
          const mine = pending.filter((p) => p.recordId === change.id && !isSession(p));
          const here = existing[i];
          if (restored && here && !here.deleted && mine.length === 0 && here.serverVersion > change.version)
            newer.push({ ...here, serverVersion: change.version, pullMark: mark ?? '' });
          const next = fromPulled(change, here, mine, mark);
          if (next) puts.push(next);
          else deletes.push(change.id);
        });
        // Sessions follow the records' rules: a pending local edit is replayed on top, never lost.
        const sessionPuts: LocalGroupSession[] = [];
        const sessionDeletes: string[] = [];
        const newerSessions: LocalGroupSession[] = [];
        sessionChanges.forEach((change, i) => {
          const mine = pending.filter((p) => p.recordId === change.id && isSession(p));
          const here = existingSessions[i];
          if (restored && here && !here.deleted && mine.length === 0 && here.serverVersion > change.version)
            newerSessions.push({ ...here, serverVersion: change.version, pullMark: mark ?? '' });
          const next = sessionFromPulled(change, here, mine, mark);
          if (next) sessionPuts.push(next);
          else sessionDeletes.push(change.id);
        });
        if (puts.length > 0) await db.records.bulkPut(puts);
        if (deletes.length > 0) await db.records.bulkDelete(deletes);
        if (sessionPuts.length > 0) await db.groupSessions.bulkPut(sessionPuts);
        if (sessionDeletes.length > 0) await db.groupSessions.bulkDelete(sessionDeletes);
        for (const r of newer) await resendWhole(db, r, r.serverVersion);
        for (const s of newerSessions) await resendSessionWhole(db, s, s.serverVersion);
        resent += newer.length + newerSessions.length;
        if (!hasMore && mark) {
          // End of a snapshot: rows it did not carry left our scope. Pending ones stay. After a
          // restore, those this user may write were lost with the server instead: sent again.
          const endMark = mark;
          const queued = new Set<unknown>(await db.outbox.orderBy('recordId').uniqueKeys());
          const [gone, goneSessions] = await Promise.all([
            db.records
              .where('syncState')
              .anyOf(['synced', 'error'])
              .filter((r) => leftScope(r, queued.has(r.id), endMark))
              .toArray(),
            db.groupSessions
              .where('syncState')
              .anyOf(['synced', 'error'])
              .filter((s) => leftScope(s, queued.has(s.id), endMark))
              .toArray(),
          ]);
          const lost = restored ? gone.filter((r) => !r.deleted && mayWrite(user, r)) : [];
          const lostSessions = restored ? goneSessions.filter((s) => !s.deleted && mayWrite(user, s)) : [];
          for (const r of lost) await resendWhole(db, { ...r, pullMark: endMark }, 0);
          for (const s of lostSessions) await resendSessionWhole(db, { ...s, pullMark: endMark }, 0);
          resent += lost.length + lostSessions.length;
          const lostIds = new Set([...lost, ...lostSessions].map((r) => r.id));
          await db.records.bulkDelete(gone.filter((r) => !lostIds.has(r.id)).map((r) => r.id));
          await db.groupSessions.bulkDelete(goneSessions.filter((s) => !lostIds.has(s.id)).map((s) => s.id));
          mark = undefined;
        }
        // The commune's topic list comes whole with the last page, kept with the page it came with.
        if (!hasMore && res.value.sessionTopics) await putMeta(db, 'sessionTopics', res.value.sessionTopics);
        // Read again: queuing records above moved nextSeq.
        const next = { ...((await getSyncMeta(db)) ?? meta), cursor: res.value.cursor };
        if (mark) next.snapshotMark = mark;
        else delete next.snapshotMark;
        if (mark && restored) next.restoredSnapshot = true;
        else delete next.restoredSnapshot;
        await putMeta(db, 'sync', next);
      });
      if (!hasMore) {
        this.#cardsAnnounced = res.value.cards;
        return resent;
      }
      if (res.value.cursor === cursor) throw new StepFailed({ kind: 'stuck' });
      cursor = res.value.cursor;
    }
  }
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

/** No rows read: a bulkGet of no keys, without the request. */
function none<T>(): Promise<(T | undefined)[]> {
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

/** Whether this user may write the record or session: a volunteer their own, a lead their team's. */
function mayWrite(user: Pusher & { role?: Role }, r: Pick<LocalRecord, 'volunteerId' | 'teamId'>): boolean {
  if (r.volunteerId === undefined || r.volunteerId === user.id) return true;
  return user.role === 'lead' && user.teamId !== null && r.teamId === user.teamId;
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

function isReportingRole(role: Role): boolean {
  return (DEVICE_REPORT_ROLES as readonly Role[]).includes(role);
}
