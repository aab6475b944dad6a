// When to sync: at start, when the network comes back or the app is shown again, after each save,
// every minute while online, and after a failure with exponential backoff. Also relays run status to other tabs.
import type { SyncEngine, SyncEvent, SyncOutcome } from './engine.ts';
import { backoffDelay } from './merge.ts';

export interface SchedulerOptions {
  engine: SyncEngine;
  intervalMs?: number;
  isOnline?: () => boolean;
  random?: () => number;
  /** Other tabs' sync events arrive here (BroadcastChannel 'sotay-sync'). */
  onRemoteEvent?: (event: SyncEvent) => void;
  onOnlineChange?: (online: boolean) => void;
}

const CHANNEL = 'sotay-sync';

export class SyncScheduler {
  readonly #engine: SyncEngine;
  readonly #intervalMs: number;
  readonly #isOnline: () => boolean;
  readonly #random: () => number;
  readonly #opts: SchedulerOptions;
  #interval: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #channel: BroadcastChannel | null = null;
  #cleanup: (() => void)[] = [];

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.#engine = opts.engine;
    this.#intervalMs = opts.intervalMs ?? 60_000;
    this.#isOnline = opts.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
    this.#random = opts.random ?? Math.random;
  }

  start(): void {
    if (this.#interval !== undefined) return;
    const online = () => {
      this.#opts.onOnlineChange?.(true);
      this.#failures = 0;
      void this.request();
    };
    const offline = () => this.#opts.onOnlineChange?.(false);
    // Phones freeze background tabs: coming back to the app is a good moment to sync.
    const visible = () => {
      if (document.visibilityState === 'visible' && this.#isOnline()) void this.request();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    this.#cleanup.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
    });
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (e: MessageEvent<SyncEvent>) => this.#opts.onRemoteEvent?.(e.data);
      this.#channel = channel;
      this.#cleanup.push(this.#engine.subscribe((event) => channel.postMessage(event)));
    }
    this.#interval = setInterval(() => {
      if (this.#isOnline() && this.#retry === undefined) void this.request();
    }, this.#intervalMs);
    void this.request();
  }

  stop(): void {
    clearInterval(this.#interval);
    clearTimeout(this.#retry);
    this.#interval = undefined;
    this.#retry = undefined;
    for (const fn of this.#cleanup.splice(0)) fn();
    this.#channel?.close();
    this.#channel = null;
  }

  /** Sync now (after a save, a button, the network coming back). */
  async request(): Promise<SyncOutcome> {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const outcome = await this.#engine.syncNow();
    if (outcome === 'ok' || outcome === 'no_session' || outcome === 'unauthorized') {
      this.#failures = 0;
    } else if (this.#interval !== undefined && this.#isOnline()) {
      // Offline waits for the 'online' event instead of polling.
      const delay = backoffDelay(this.#failures++, this.#random);
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        void this.request();
      }, delay);
    }
    return outcome;
  }
}
