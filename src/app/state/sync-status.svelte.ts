// What the status bar shows about sync: running or not, how the last run ended, online or not.
// Fed by this tab's engine and, over BroadcastChannel, by other tabs' engines.
import type { SyncEvent, SyncOutcome } from '../sync/engine.ts';
import { t } from '../i18n/index.ts';

export class SyncStatus {
  #syncing = $state(false);
  #lastOutcome = $state<SyncOutcome | null>(null);
  #lastOk = $state(false);
  #online = $state(true);
  #message = $state<string | null>(null);

  constructor(init: { online?: boolean; lastOk?: boolean } = {}) {
    this.#online = init.online ?? true;
    this.#lastOk = init.lastOk ?? false;
  }

  get syncing(): boolean {
    return this.#syncing;
  }
  get online(): boolean {
    return this.#online;
  }
  /** The last finished run succeeded (or, before any run here, the device had synced before). */
  get lastOk(): boolean {
    return this.#lastOk;
  }
  get lastOutcome(): SyncOutcome | null {
    return this.#lastOutcome;
  }
  /** The server's own words about the last failure, when it gave any. */
  get message(): string | null {
    return this.#message;
  }

  apply(event: SyncEvent): void {
    if (event.type === 'start') {
      this.#syncing = true;
      return;
    }
    this.#syncing = false;
    this.#lastOutcome = event.outcome;
    this.#lastOk = event.outcome === 'ok';
    this.#message = event.message ?? null;
    if (event.outcome === 'ok') this.#online = true;
  }

  setOnline(online: boolean): void {
    this.#online = online;
  }

  setLastOk(ok: boolean): void {
    this.#lastOk = ok;
  }
}

/** The one-line summary: syncing, all synced, or how many records wait. */
export function statusLine(syncing: boolean, pending: number, lastOk: boolean): string {
  if (syncing) return t.status.syncing;
  if (pending === 0 && lastOk) return t.status.synced;
  return t.status.pending(pending);
}
