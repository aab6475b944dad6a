// Group commit (docs/architecture.md, "Server push"): transactions that queue while another is being
// applied or committed share one store transaction, so one durable commit (one fsync, one COMMIT)
// serves them all. Each runs in its own savepoint: one that throws is rolled back alone and its
// caller gets its error as if it had run alone; every caller hears its answer only once the shared
// transaction has committed, so nothing is answered that a crash could still take back.
import type { GroupCommitStats, Tx } from './store.ts';

export type { GroupCommitStats };

/** What a store lends the group: savepoints on the connection of the transaction being run. */
export interface Savepoints {
  begin(): Promise<void>;
  release(): Promise<void>;
  /** Takes back what the member did since `begin`; throws when the whole transaction is lost. */
  rollback(memberError: unknown): Promise<void>;
}

export interface GroupCommitOptions {
  /** Runs `body` in one store transaction (BEGIN … COMMIT, retries included), like Store.transaction. */
  run(body: (tx: Tx, savepoints: Savepoints) => Promise<void>): Promise<void>;
  /** A member's failure that must fail the whole transaction (it would retry it, e.g. a deadlock). */
  failsAll?: (err: unknown) => boolean;
  /** The error a member's caller gets, as Store.transaction would have thrown it. */
  callerError?: (err: unknown) => unknown;
  /** Members per transaction at most: the rest wait for the next one. */
  maxMembers?: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Member {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  outcome: Outcome | null;
}

/** Members per group by default: with a push of up to MAX_MUTATIONS each, a group stays bounded. */
export const DEFAULT_GROUP_MEMBERS = 16;

export class GroupCommit {
  readonly #options: GroupCommitOptions;
  readonly #queue: Member[] = [];
  #draining = false;
  #groups = 0;
  #members = 0;

  constructor(options: GroupCommitOptions) {
    this.#options = options;
  }

  /** Group transactions committed, the members they carried, and the members waiting now. */
  stats(): GroupCommitStats {
    return { groups: this.#groups, members: this.#members, waiting: this.#queue.length };
  }

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject, outcome: null });
      if (!this.#draining) {
        this.#draining = true;
        // After the I/O callbacks of this turn: requests read in the same turn join the group.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, this.#options.maxMembers ?? DEFAULT_GROUP_MEMBERS);
        await this.#runGroup(group);
        // Let the requests that arrived meanwhile be read before the next group is taken.
        if (this.#queue.length > 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #runGroup(group: Member[]): Promise<void> {
    const { failsAll = () => false, callerError = (e: unknown) => e } = this.#options;
    try {
      await this.#options.run(async (tx, savepoints) => {
        // The store may run the body again (a serialization failure): every member starts afresh.
        for (const m of group) m.outcome = null;
        for (const m of group) {
          await savepoints.begin();
          try {
            const value = await m.fn(tx);
            await savepoints.release();
            m.outcome = { ok: true, value };
          } catch (error) {
            if (failsAll(error)) throw error;
            await savepoints.rollback(error);
            m.outcome = { ok: false, error };
          }
        }
      });
    } catch (error) {
      // Nothing of the group committed: every member fails with the transaction's error.
      for (const m of group) m.reject(error);
      return;
    }
    this.#groups += 1;
    this.#members += group.length;
    for (const m of group) {
      const o = m.outcome;
      if (o?.ok) m.resolve(o.value);
      else m.reject(callerError(o?.error ?? new Error('group member did not run')));
    }
  }
}
