// What the status bar shows about sync: running (here or in another tab), drain progress, how the
// last run ended, online or not. Fed by this tab's engine and other tabs' over BroadcastChannel.
import type { SyncEvent, SyncOutcome } from '../sync/engine.ts';
import { t } from '../i18n/index.ts';

export interface Progress {
  sent: number;
  total: number;
}

/** More than this between the phone's clock and the server's is a wrong date on the phone. */
export const CLOCK_OFF_MS = 24 * 60 * 60 * 1000;

export class SyncStatus {
  #local = $state(false);
  #remote = $state(false);
  #progress = $state<Progress | null>(null);
  #lastOutcome = $state<SyncOutcome | null>(null);
  #lastOk = $state(false);
  #online = $state(true);
  #outdated = $state(false);
  #message = $state<string | null>(null);
  #clockSkewMs = $state<number | null>(null);

  constructor(init: { online?: boolean; lastOk?: boolean } = {}) {
    this.#online = init.online ?? true;
    this.#lastOk = init.lastOk ?? false;
  }

  /** A run is going on, in this tab or in another one. */
  get syncing(): boolean {
    return this.#local || this.#remote;
  }
  /** The outbox drain of the current run, while it has anything to send. */
  get progress(): Progress | null {
    return this.syncing ? this.#progress : null;
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
  /** The server said 426: this app is too old to sync until it is updated. */
  get outdated(): boolean {
    return this.#outdated;
  }
  /** The server's own words about the last failure, when it gave any. */
  get message(): string | null {
    return this.#message;
  }

  /**
   * This phone's clock is more than a day away from the server's (last answer): the dates and times
   * it fills in are wrong, and records dated after tomorrow would be refused.
   */
  get clockOff(): boolean {
    return this.#clockSkewMs !== null && Math.abs(this.#clockSkewMs) > CLOCK_OFF_MS;
  }

  /** The server's time from an answer just received, against this phone's clock now. */
  setServerTime(serverMs: number, localMs: number = Date.now()): void {
    this.#clockSkewMs = localMs - serverMs;
  }

  /** An engine event; `remote` when it came from another tab. */
  apply(event: SyncEvent, remote = false): void {
    if (event.type === 'start') {
      // Holding the lock ourselves means no other tab is syncing (a closed tab never said 'end').
      if (remote) this.#remote = true;
      else [this.#local, this.#remote] = [true, false];
      this.#progress = null;
      return;
    }
    if (event.type === 'progress') {
      if (remote) this.#remote = true;
      this.#progress = event.total > 0 ? { sent: event.sent, total: event.total } : null;
      return;
    }
    if (remote) this.#remote = false;
    else this.#local = false;
    this.#progress = null;
    this.#lastOutcome = event.outcome;
    this.#lastOk = event.outcome === 'ok';
    this.#message = event.message ?? null;
    if (event.outcome === 'ok') this.#online = true;
    if (event.outcome === 'outdated') this.#outdated = true;
  }

  /** Another tab went quiet mid-run (closed, frozen): stop showing its run. */
  clearRemote(): void {
    this.#remote = false;
  }

  setOnline(online: boolean): void {
    this.#online = online;
  }

  setLastOk(ok: boolean): void {
    this.#lastOk = ok;
  }
}

/** The one-line summary: too old, syncing, all synced, or how many records wait. */
export function statusLine(syncing: boolean, pending: number, lastOk: boolean, outdated = false): string {
  if (outdated) return t.status.outdated;
  if (syncing) return t.status.syncing;
  if (pending === 0 && lastOk) return t.status.synced;
  return t.status.pending(pending);
}
