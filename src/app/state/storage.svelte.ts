// Whether the browser keeps this phone's data (unsynced records may live here for days), asked at
// the right moment, and the storage screen's figures. `persisted` is what other screens need: true
// (protected), false (the browser may evict it under pressure) or null (not known yet / no API).
import type { Observable } from 'dexie';
import type { LogRecord } from '../../shared/index.ts';
import type { OutboxRow, SotayDB } from '../db/database.ts';
import { pendingCountQuery, unsyncedExport } from '../db/records-repo.ts';
import { contextSlot } from './context.ts';

/** The answer to the last request: `unsupported` when the browser has no `persist()`. */
export type PersistAnswer = 'granted' | 'refused' | 'unsupported';

type StorageApi = Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>;

export class StorageState {
  #persisted = $state<boolean | null>(null);
  #answer = $state<PersistAnswer | null>(null);
  #estimate = $state.raw<StorageEstimate | null>(null);
  #askedAfterSave = false;
  readonly #db: SotayDB;
  readonly #api: Partial<StorageApi> | undefined;
  #onAnswer: ((answer: PersistAnswer) => void) | undefined;

  constructor(db: SotayDB, api: Partial<StorageApi> | undefined = globalThis.navigator?.storage) {
    this.#db = db;
    this.#api = api;
    // Known from the start, so the status line can warn before anyone opens "Lưu trữ".
    void this.#api?.persisted?.().then(
      (yes) => (this.#persisted ??= yes),
      () => undefined,
    );
  }

  /** Protected from eviction (null: not known). */
  get persisted(): boolean | null {
    return this.#persisted;
  }
  /** The answer to this page's last request (null: not asked). */
  get answer(): PersistAnswer | null {
    return this.#answer;
  }
  /** Bytes used and available to the app (null where unknown). */
  get usage(): number | null {
    return this.#estimate?.usage ?? null;
  }
  get quota(): number | null {
    return this.#estimate?.quota ?? null;
  }
  /** Records waiting to reach the server (a live query). */
  get pending(): Observable<number> {
    return pendingCountQuery(this.#db);
  }

  /** Reads whether the data is protected and the space figures; asks nothing. */
  async refresh(): Promise<void> {
    const [persisted, estimate] = await Promise.all([
      this.#api?.persisted?.().catch(() => null) ?? null,
      this.#api?.estimate?.().catch(() => null) ?? null,
    ]);
    this.#persisted = persisted;
    this.#estimate = estimate;
  }

  /** Asks the browser to keep the data (Chrome answers by itself; Firefox asks the person). */
  async protect(): Promise<PersistAnswer> {
    let answer: PersistAnswer = 'unsupported';
    if (this.#api?.persist) {
      const yes =
        (await this.#api.persisted?.().catch(() => false)) || (await this.#api.persist().catch(() => false));
      answer = yes ? 'granted' : 'refused';
    }
    this.#answer = answer;
    this.#persisted = answer === 'granted' ? true : answer === 'refused' ? false : this.#persisted;
    this.#onAnswer?.(answer);
    return answer;
  }

  /** Told each answer of the browser (the shell's status line re-reads its storage warning). */
  onAnswer(listener: (answer: PersistAnswer) => void): void {
    this.#onAnswer = listener;
  }

  /** After a saved record (there is now data worth keeping): ask once per page until granted. */
  afterSave(): void {
    if (this.#askedAfterSave || this.#persisted === true) return;
    this.#askedAfterSave = true;
    void this.protect();
  }

  /** Everything not yet confirmed by the server, for the export escape hatch. */
  unsynced(): Promise<{ records: LogRecord[]; outbox: OutboxRow[] }> {
    return unsyncedExport(this.#db);
  }
}

export const storageSlot = contextSlot<StorageState>('storage');
