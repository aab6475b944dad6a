// What the one-line status and the home warning say: the sync facts (waiting records and group
// sessions, the oldest one's age, refused ones, last sync), the session, and whether the browser may evict our data
// (`navigator.storage.persisted()`).
// Screens read it through `healthSlot`; only this class reads the tables for them.
import { liveQuery, type Subscription } from 'dexie';
import type { SotayDB } from '../db/database.ts';
import { getSyncMeta } from '../db/meta-repo.ts';
import { pendingCountQuery } from '../db/records-repo.ts';
import { contextSlot } from './context.ts';
import type { SessionState } from './session.svelte.ts';
import type { SyncStatus } from './sync-status.svelte.ts';

/** Records waiting longer than this need the user: find a network or hand them off. */
export const STALE_MS = 24 * 60 * 60 * 1000;

/** Something the user must act on, most urgent first; the status line shows the most urgent. */
export type Warning = 'outdated' | 'expired' | 'refused' | 'stale' | 'clock' | 'storage';

/** The part of `navigator.storage` read here (absent in old browsers and tests). */
export interface StorageProbe {
  persisted?: () => Promise<boolean>;
}

export class Health {
  #pending = $state(0);
  #oldestWaitingAt = $state<string | null>(null);
  #refused = $state(0);
  #refusedSessions = $state(0);
  #lastSyncedAt = $state<string | null>(null);
  /** null: unknown (no Storage API, or not asked yet). */
  #persisted = $state<boolean | null>(null);
  #now = $state(Date.now());
  readonly status: SyncStatus;
  readonly session: SessionState;
  readonly #db: SotayDB;
  readonly #storage: StorageProbe | undefined;

  constructor(opts: { db: SotayDB; status: SyncStatus; session: SessionState; storage?: StorageProbe }) {
    this.#db = opts.db;
    this.status = opts.status;
    this.session = opts.session;
    this.#storage =
      'storage' in opts ? opts.storage : typeof navigator === 'undefined' ? undefined : navigator.storage;
  }

  /** Follows the tables and the storage state; returns the stop function. */
  start(): () => void {
    const db = this.#db;
    const subs: Subscription[] = [
      pendingCountQuery(db).subscribe((n) => (this.#pending = n)),
      liveQuery(async () => (await db.outbox.orderBy('seq').first())?.createdAt ?? null).subscribe(
        (at) => (this.#oldestWaitingAt = at),
      ),
      liveQuery(() => db.records.where('syncState').equals('error').count()).subscribe(
        (n) => (this.#refused = n),
      ),
      // A refused group session needs the user's correction just as a record does.
      liveQuery(() => db.groupSessions.where('syncState').equals('error').count()).subscribe(
        (n) => (this.#refusedSessions = n),
      ),
      liveQuery(async () => (await getSyncMeta(db))?.lastSyncedAt ?? null).subscribe(
        (at) => (this.#lastSyncedAt = at),
      ),
    ];
    void this.checkStorage();
    // "Waiting more than a day" turns true with time alone, without any write.
    const tick = setInterval(() => (this.#now = Date.now()), 60_000);
    return () => {
      for (const s of subs) s.unsubscribe();
      clearInterval(tick);
    };
  }

  /** Reads again whether the data is protected from eviction (after asking the browser for it). */
  async checkStorage(): Promise<void> {
    try {
      this.#persisted = (await this.#storage?.persisted?.()) ?? null;
    } catch {
      // A browser refusing to tell: nothing to warn about with certainty.
    }
  }

  /** Records and group sessions not yet accepted by the server. */
  get pending(): number {
    return this.#pending;
  }
  /** Records and group sessions the server refused (they need the user's correction). */
  get refused(): number {
    return this.#refused + this.#refusedSessions;
  }
  /** Of those, the group sessions: the refusal's button opens their list when only they are refused. */
  get refusedSessions(): number {
    return this.#refusedSessions;
  }
  get lastSyncedAt(): string | null {
    return this.#lastSyncedAt;
  }
  /** Some change has waited for the server longer than a day. */
  get stale(): boolean {
    const at = this.#oldestWaitingAt;
    return at !== null && this.#now - Date.parse(at) > STALE_MS;
  }

  /** The most urgent thing the user must act on (null: the line stays neutral). */
  get warning(): Warning | null {
    if (this.status.outdated) return 'outdated';
    if (this.session.expired) return 'expired';
    if (this.refused > 0) return 'refused';
    if (this.stale) return 'stale';
    if (this.status.clockOff) return 'clock';
    // Unprotected storage matters while it holds records only this phone has.
    return this.#persisted === false && this.#pending > 0 ? 'storage' : null;
  }

  /** The home (capture) place warns of these even when the line has a more urgent one. */
  get homeWarning(): 'stale' | 'storage' | null {
    if (this.stale) return 'stale';
    if (this.#persisted === false) return 'storage';
    return null;
  }
}

export const healthSlot = contextSlot<Health>('health');
