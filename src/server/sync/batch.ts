// A push processed as a batch (docs/architecture.md, "Server push"): what the mutations read is
// fetched up front with one query per kind, and what they write is kept here and written at the
// end with one statement per table. Each mutation still sees the state every earlier mutation of
// the push left (two edits of one record, a create then an edit), exactly as with one statement
// per read and write; only the number of round trips changes. Lives inside the push's transaction,
// which holds the write lock (SQLite BEGIN IMMEDIATE, the PostgreSQL counter row) from its first
// read to its commit, so the versions counted here are the ones reserved at the end.
import { topicsOrDefault, type Mutation } from '../../shared/index.ts';
import type {
  ContactRow,
  HistoryEntry,
  RecordRow,
  RestoreMark,
  SessionRow,
  StoredResult,
  Tx,
} from '../store/store.ts';

/** What applying one mutation reads and writes (mutation.ts): a PushBatch. */
export type MutationTx = Pick<
  Tx,
  | 'currentVersion'
  | 'restoreMark'
  | 'getRecord'
  | 'getUser'
  | 'hamletIds'
  | 'nextVersion'
  | 'putRecord'
  | 'addHistory'
  | 'findMutationResults'
  | 'getContact'
  | 'putContact'
  | 'deleteContact'
  | 'setContactClosed'
> & {
  /** Whether the record was ever created here (a create in its history, stored or in this push). */
  wasCreated(recordId: string): Promise<boolean>;
  /** A group session as this push left it so far (null: none). */
  getSession(id: string): Promise<SessionRow | null>;
  /** Whether a record (not a session) holds this id. */
  isRecordId(id: string): Promise<boolean>;
  /** Whether a group session (not a record) holds this id. */
  isSessionId(id: string): Promise<boolean>;
  /** Keep a group session's new state, written at the end like records. */
  putSession(row: SessionRow): Promise<void>;
  /** The codes of the commune's topic list (its own or the defaults), retired ones included. */
  sessionTopicCodes(communeCode: string): Promise<Set<string>>;
};

/** A mutation about a group session (docs/group-sessions.md); absent kind means a record. */
export function isSessionMutation(m: Pick<Mutation, 'kind'>): boolean {
  return m.kind === 'session';
}

/** One step of a push: a mutation to apply, or one whose seq is acked already, answered again. */
export interface PushStep {
  mutation: Mutation;
  resent: boolean;
}

/**
 * The one walk over a push's mutations, in the client's order from the acked seq: the next seq is
 * applied, a seq at or below the last one is answered again, and nothing past a gap is processed
 * (the client resends from ackedSeq). Every applied mutation moves the seq, whatever its answer,
 * so what to read up front (planPush) and what push.ts does follow from the seqs alone.
 */
export function* walkPush(mutations: readonly Mutation[], ackedSeq: number): Generator<PushStep> {
  let lastSeq = ackedSeq;
  for (const mutation of mutations) {
    if (mutation.seq > lastSeq + 1) return;
    const resent = mutation.seq <= lastSeq;
    if (!resent) lastSeq = mutation.seq;
    yield { mutation, resent };
  }
}

/** Which mutations a push applies, and the lowest acked seq it answers again (to read its answers). */
export function planPush(
  mutations: readonly Mutation[],
  ackedSeq: number,
): { applied: Mutation[]; firstResent: number | null } {
  const applied: Mutation[] = [];
  let firstResent: number | null = null;
  for (const { mutation: m, resent } of walkPush(mutations, ackedSeq)) {
    if (!resent) applied.push(m);
    else if (m.seq <= ackedSeq) firstResent = Math.min(firstResent ?? m.seq, m.seq);
  }
  return { applied, firstResent };
}

export class PushBatch implements MutationTx {
  readonly #tx: Tx;
  readonly #clientId: string;
  /** Every record read or written in this push: its latest state (null: no such record). */
  readonly #records = new Map<string, RecordRow | null>();
  /** The records to write at the end, one row per id in its final state. */
  readonly #dirty = new Map<string, RecordRow>();
  /** Every group session read or written in this push, and those to write at the end. */
  readonly #sessions = new Map<string, SessionRow | null>();
  readonly #dirtySessions = new Map<string, SessionRow>();
  readonly #topicCodes = new Map<string, Set<string>>();
  /** Of the push's session ids, those a record already holds. */
  readonly #recordIdsOfSessions = new Set<string>();
  /** Of the push's record ids, those a session already holds. */
  readonly #sessionIdsOfRecords = new Set<string>();
  readonly #history: HistoryEntry[] = [];
  readonly #results: { seq: number; stored: StoredResult }[] = [];
  /** This client's stored results by seq: the re-sent ones, then those of this push. */
  readonly #bySeq: Map<number, StoredResult>;
  /** Stored results by mutation id, any client: from the database, then those of this push. */
  readonly #byMutation = new Map<string, StoredResult[]>();
  readonly #hamlets = new Map<string, Set<string>>();
  /** Of the push's records (and those read since), the ids that have a contact row now. */
  readonly #withContact = new Set<string>();
  readonly #baseVersion: number;
  #used = 0;
  #restoreMark: RestoreMark | undefined;
  /** What putRecord replaced, so a mutation that failed half-way can be taken back (isolate). */
  readonly #journal: {
    id: string;
    record: RecordRow | null | undefined;
    dirty: RecordRow | undefined;
    session?: true;
  }[] = [];
  /** Writes that went straight to the transaction (contacts): those cannot be taken back. */
  #directWrites = 0;
  /** A call into the database failed: the transaction is broken and must not commit. */
  #storeFailed = false;

  private constructor(tx: Tx, clientId: string, baseVersion: number, bySeq: Map<number, StoredResult>) {
    this.#tx = tx;
    this.#clientId = clientId;
    this.#baseVersion = baseVersion;
    this.#bySeq = bySeq;
  }

  /** Read what the push's mutations need: their records, stored results and the re-sent answers. */
  static async open(
    tx: Tx,
    clientId: string,
    mutations: readonly Mutation[],
    ackedSeq: number,
  ): Promise<PushBatch> {
    const { applied, firstResent } = planPush(mutations, ackedSeq);
    const bySeq =
      firstResent === null
        ? new Map<number, StoredResult>()
        : await tx.getMutationResultRange(clientId, firstResent, ackedSeq);
    const batch = new PushBatch(tx, clientId, await tx.currentVersion(), bySeq);
    if (applied.length === 0) return batch;
    const sessionIds = [...new Set(applied.filter(isSessionMutation).map((m) => m.recordId))];
    for (const id of sessionIds) batch.#sessions.set(id, null);
    for (const row of await tx.getSessions(sessionIds)) batch.#sessions.set(row.id, row);
    // A session may not take a record's id (session-mutation.ts): one read tells which would.
    for (const row of await tx.getRecords(sessionIds)) batch.#recordIdsOfSessions.add(row.id);
    const ids = [...new Set(applied.filter((m) => !isSessionMutation(m)).map((m) => m.recordId))];
    for (const id of ids) batch.#records.set(id, null);
    for (const row of await tx.getRecords(ids)) batch.#records.set(row.id, row);
    for (const id of await tx.recordIdsWithContact(ids)) batch.#withContact.add(id);
    // Nor a record a session's id: the same single read the other way.
    for (const row of await tx.getSessions(ids)) batch.#sessionIdsOfRecords.add(row.id);
    const mutationIds = [...new Set(applied.map((m) => m.mutationId))];
    for (const r of await tx.findMutationResultsOf(mutationIds)) batch.#resultOf(r);
    return batch;
  }

  #resultOf(stored: StoredResult): void {
    const list = this.#byMutation.get(stored.mutationId);
    if (list) list.push(stored);
    else this.#byMutation.set(stored.mutationId, [stored]);
  }

  /**
   * Runs one mutation so that an unexpected exception rejects it alone: what it kept in this batch is
   * taken back and `onError` answers for it. Not when the database failed (the transaction is broken:
   * the push must fail whole, 503, nothing stored) nor after a write went to the transaction itself.
   */
  async isolate<T>(run: () => Promise<T>, onError: (err: unknown) => T): Promise<T> {
    const journal = this.#journal.length;
    const history = this.#history.length;
    const used = this.#used;
    const direct = this.#directWrites;
    try {
      return await run();
    } catch (err) {
      if (this.#storeFailed || this.#directWrites !== direct) throw err;
      for (const j of this.#journal.splice(journal).reverse()) {
        const [rows, dirty] = j.session
          ? [this.#sessions, this.#dirtySessions]
          : [this.#records, this.#dirty];
        if (j.record === undefined) rows.delete(j.id);
        else rows.set(j.id, j.record);
        if (j.dirty === undefined) dirty.delete(j.id);
        else dirty.set(j.id, j.dirty);
      }
      this.#history.length = history;
      this.#used = used;
      return onError(err);
    }
  }

  /** A call into the database; its failure marks the transaction broken (isolate rethrows). */
  async #db<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      this.#storeFailed = true;
      throw err;
    }
  }

  async getRecord(id: string): Promise<RecordRow | null> {
    const known = this.#records.get(id);
    if (known !== undefined) return known;
    const row = await this.#db(() => this.#tx.getRecord(id));
    this.#records.set(id, row);
    if ((await this.#db(() => this.#tx.recordIdsWithContact([id]))).size > 0) this.#withContact.add(id);
    return row;
  }

  /** Every version used so far counts as issued: the database's counter plus this push's. */
  async currentVersion(): Promise<number> {
    return this.#baseVersion + this.#used;
  }

  /** Read once per batch, and only when a mutation carries a base version. */
  async restoreMark(): Promise<RestoreMark> {
    this.#restoreMark ??= await this.#db(() => this.#tx.restoreMark());
    return this.#restoreMark;
  }

  async wasCreated(recordId: string): Promise<boolean> {
    if (this.#history.some((h) => h.recordId === recordId && h.op === 'create')) return true;
    const stored = await this.#db(() => this.#tx.recordHistory(recordId));
    return stored.some((h) => h.op === 'create');
  }

  async findMutationResults(mutationId: string): Promise<StoredResult[]> {
    return [...(this.#byMutation.get(mutationId) ?? [])];
  }

  /** The stored answer of a seq already acked (before or earlier in this push), or null (pruned). */
  storedResult(seq: number): StoredResult | null {
    return this.#bySeq.get(seq) ?? null;
  }

  saveResult(seq: number, stored: StoredResult): void {
    this.#results.push({ seq, stored });
    this.#bySeq.set(seq, stored);
    this.#resultOf(stored);
  }

  async hamletIds(communeCode: string): Promise<Set<string>> {
    let ids = this.#hamlets.get(communeCode);
    if (!ids) {
      ids = await this.#db(() => this.#tx.hamletIds(communeCode));
      this.#hamlets.set(communeCode, ids);
    }
    return ids;
  }

  /** The next of the versions reserved at the end: the write lock is held, nobody else counts. */
  async nextVersion(): Promise<number> {
    this.#used += 1;
    return this.#baseVersion + this.#used;
  }

  async putRecord(row: RecordRow): Promise<void> {
    this.#journal.push({ id: row.id, record: this.#records.get(row.id), dirty: this.#dirty.get(row.id) });
    this.#records.set(row.id, row);
    this.#dirty.set(row.id, row);
  }

  async getSession(id: string): Promise<SessionRow | null> {
    const known = this.#sessions.get(id);
    if (known !== undefined) return known;
    const [row] = await this.#db(() => this.#tx.getSessions([id]));
    this.#sessions.set(id, row ?? null);
    return row ?? null;
  }

  /** Whether a record holds this id (known for the push's session ids; otherwise read). */
  async isRecordId(id: string): Promise<boolean> {
    if (this.#records.get(id)) return true;
    if (this.#sessions.has(id)) return this.#recordIdsOfSessions.has(id);
    return (await this.#db(() => this.#tx.getRecords([id]))).length > 0;
  }

  /** Whether a session holds this id (one stored, or created earlier in this push). */
  async isSessionId(id: string): Promise<boolean> {
    if (this.#sessions.get(id)) return true;
    if (this.#records.has(id)) return this.#sessionIdsOfRecords.has(id);
    return (await this.getSession(id)) !== null;
  }

  async putSession(row: SessionRow): Promise<void> {
    this.#journal.push({
      id: row.id,
      record: this.#sessions.get(row.id),
      dirty: this.#dirtySessions.get(row.id),
      session: true,
    });
    this.#sessions.set(row.id, row);
    this.#dirtySessions.set(row.id, row);
  }

  async sessionTopicCodes(communeCode: string): Promise<Set<string>> {
    let codes = this.#topicCodes.get(communeCode);
    if (!codes) {
      const own = await this.#db(() => this.#tx.sessionTopics(communeCode));
      codes = new Set(topicsOrDefault(own).map((t) => t.code));
      this.#topicCodes.set(communeCode, codes);
    }
    return codes;
  }

  async addHistory(entry: HistoryEntry): Promise<void> {
    this.#history.push(entry);
  }

  // Rare (a lead naming the owner): straight to the transaction.
  getUser: Tx['getUser'] = (id) => this.#db(() => this.#tx.getUser(id));

  // Contacts are written straight away (record_contacts has no foreign key to records), but most
  // records have none: knowing which do saves a read per edit and an update per create.
  /** False only when the record is known to this batch and has no contact row. */
  #mayHaveContact(recordId: string): boolean {
    return !this.#records.has(recordId) || this.#withContact.has(recordId);
  }

  async getContact(recordId: string): Promise<ContactRow | null> {
    return this.#mayHaveContact(recordId) ? this.#db(() => this.#tx.getContact(recordId)) : null;
  }

  async putContact(c: ContactRow): Promise<void> {
    this.#directWrites += 1;
    await this.#db(() => this.#tx.putContact(c));
    this.#withContact.add(c.recordId);
  }

  async deleteContact(recordId: string): Promise<void> {
    if (this.#mayHaveContact(recordId)) {
      this.#directWrites += 1;
      await this.#db(() => this.#tx.deleteContact(recordId));
    }
    this.#withContact.delete(recordId);
  }

  /** An update or delete of no row (the record has no contact) is skipped. */
  async setContactClosed(recordId: string, closedAt: string | null): Promise<void> {
    if (this.#mayHaveContact(recordId)) {
      this.#directWrites += 1;
      await this.#db(() => this.#tx.setContactClosed(recordId, closedAt));
    }
  }

  /** Write everything kept: the versions used, the records, their history, the stored results. */
  async flush(at: string): Promise<void> {
    if (this.#used > 0) {
      const top = await this.#tx.reserveVersions(this.#used);
      // Cannot happen while the lock is held; if it ever did, the push must not commit.
      if (top !== this.#baseVersion + this.#used)
        throw new Error(`version counter moved during a push: ${top} ≠ ${this.#baseVersion + this.#used}`);
    }
    await this.#tx.putRecords([...this.#dirty.values()]);
    if (this.#dirtySessions.size > 0) await this.#tx.putSessions([...this.#dirtySessions.values()]);
    await this.#tx.addHistories(this.#history);
    await this.#tx.saveMutationResults(this.#clientId, this.#results, at);
  }
}
