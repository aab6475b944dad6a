// The sync engine: push the outbox in chunks, then pull, one run at a time (navigator.locks across
// tabs, a promise chain inside one). All it touches is injected: tests drive it in jsdom or Node.
import { DEVICE_REPORT_ROLES, MAX_PUSH_MUTATIONS, newId, type Role } from '../../shared/index.ts';
import type { LocalGroupSession, LocalRecord, SotayDB, StoredSession } from '../db/database.ts';
import { getSession, getSyncMeta, markSessionExpired, putMeta, updateSyncMeta } from '../db/meta-repo.ts';
import { resendSessionWhole, resendWhole } from '../db/records-repo.ts';
import { ApiClient, type ApiFailure, type ApiResult, type SendOptions } from './api.ts';
import { fromPulled, leftScope, sessionFromPulled, type Pusher } from './merge.ts';
import {
  NOTHING,
  applyPushAnswer,
  isSession,
  none,
  prepareChunk,
  prepareChunkEarly,
  renumberUnderNewClient,
  revertChunks,
  revertStaleUploading,
  sendChunk,
  type Chunk,
} from './push.ts';
import { buildDeviceReport } from './device-report.ts';
import { refreshCards } from './card-editions.ts';

// Other modules took these from the engine before its push steps moved to push.ts.
export { outboxRowsOf, toMutation } from './push.ts';

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
   * A pipeline of the steps in push.ts: prepare a chunk, send it, apply its answer. One push is on
   * the wire at a time, and each goes out only after the previous answer arrived and acknowledged
   * all of its chunk (the server takes seqs from `ackedSeq + 1` only). The phone's own work
   * overlaps the wire instead (the sync budget): while a push is in flight the next chunk is
   * prepared, and an answer is applied while the next push is already out. Writes keep their
   * order (one chain), and every chunk marked uploading that no answer settles goes back to
   * waiting by one path (`release`).
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
    const count = this.#drainCount(await db.outbox.count());
    /** The writes in order: a chunk's marking, then each answer, while the next push is out. */
    let writing: Promise<unknown> = Promise.resolve();
    /** Chunks marked uploading that no answer has settled yet: what `release` puts back. */
    const held: Promise<Chunk>[] = [];
    const release = async (): Promise<void> => {
      const chunks = await Promise.all(held.splice(0).map((c) => c.catch(() => NOTHING)));
      await revertChunks(db, chunks);
    };
    try {
      for (;;) {
        // prepare: the chunk read ahead while the last push was out, else the first chunk, which
        // leaves as soon as its rows are read (its marking joins the writes, before its answer).
        let chunk: Chunk;
        if (held.length > 0) chunk = await held[0]!;
        else {
          const early = prepareChunkEarly(db, size, this.#prepare);
          chunk = await early.read;
          held.push(Promise.resolve(chunk));
          writing = writing.then(() => early.marked);
        }
        const { rows } = chunk;
        if (rows.length === 0) {
          // Drained, as far as the last read saw. The last answer may still be being written: the
          // caller waits for it (its transaction counts the rows left, which a later save leaves).
          held.length = 0;
          return { clientId, settled: count.settled(writing) };
        }
        // send, while the previous answer is written and then the next chunk is read.
        mark('push');
        const sent = sendChunk(clientId, rows, (body) =>
          this.#call((opts) => this.#api.push(token, body, opts)),
        );
        const next = writing.then(() => this.#prepare(db, rows[rows.length - 1]!.seq, size));
        // Settles quietly: whoever uses it awaits it again.
        next.catch(() => undefined);
        held.push(next);
        const verdict = await sent;
        mark('answer');
        await writing;
        if (verdict.kind === 'failed') throw new StepFailed(verdict.failure);
        if (verdict.kind === 'forgotten') {
          // The chunks read carry the old seqs: they go, and the outbox is read again from seq 1.
          await release();
          clientId = await renumberUnderNewClient(db);
          writing = Promise.resolve();
          continue;
        }
        // apply: this chunk is the answer's now. The next one may go out at once only if the answer
        // took all of this one: after a shorter acknowledgement the server waits for `acked + 1`,
        // so the chunk read ahead goes back and the outbox is read again from there.
        held.shift();
        const { acked, took, whole, results } = verdict;
        const following = whole ? await next : NOTHING;
        if (!whole) await release();
        // Records and sessions that the next push carries stay marked uploading.
        const inFlight = new Set([...following.ids, ...following.sessionIds]);
        writing = count.answered(applyPushAnswer(db, chunk, acked, results, pusher, inFlight), took);
        // Still ours to catch: a failed write surfaces at the next `await writing`.
        writing.catch(() => undefined);
        if (!whole) {
          await writing;
          // The server took none of them (a gap in seqs it must resend from): stop, retry later.
          if (took === 0) throw new StepFailed({ kind: 'stuck' });
        }
      }
    } catch (err) {
      // Whatever stops the drain, the answer being written finishes first (its rows were acked).
      await writing.catch(() => undefined);
      await release();
      throw err;
    }
  }

  /** prepareChunk, marked for the trace. */
  readonly #prepare: typeof prepareChunk = (db, after, size, onRead) =>
    prepareChunk(db, after, size, onRead).finally(() => mark('prepared'));

  /**
   * A drain's counts: mutations acknowledged so far, of the total known to wait, told as progress
   * once each answer is written; and the rows left after the last written answer.
   */
  #drainCount(waiting: number): {
    answered(write: Promise<number>, took: number): Promise<void>;
    settled(writing: Promise<unknown>): Promise<number>;
  } {
    let sent = 0;
    let left: number | null = null;
    let answers = 0;
    if (waiting > 0) this.#emit({ type: 'progress', sent, total: waiting });
    return {
      answered: (write, took) => {
        answers++;
        return write.then((rest) => {
          mark('applied');
          left = rest;
          sent += took;
          this.#emit({ type: 'progress', sent, total: sent + rest });
        });
      },
      // No answer in this drain: nothing was written that could leave rows behind.
      settled: (writing) => (answers > 0 ? writing.then(() => left ?? 0) : Promise.resolve(0)),
    };
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

/** Whether this user may write the record or session: a volunteer their own, a lead their team's. */
function mayWrite(user: Pusher & { role?: Role }, r: Pick<LocalRecord, 'volunteerId' | 'teamId'>): boolean {
  if (r.volunteerId === undefined || r.volunteerId === user.id) return true;
  return user.role === 'lead' && user.teamId !== null && r.teamId === user.teamId;
}

function isReportingRole(role: Role): boolean {
  return (DEVICE_REPORT_ROLES as readonly Role[]).includes(role);
}
