// When to sync (start, online, shown again, after a save, the worker's Background Sync, a timer, and
// full-jitter backoff after a failure), and the relay of run status to the other tabs.
import { listenForWorkerSync, registerBackgroundSync } from './background-sync.ts';
import type { SyncEvent, SyncOutcome } from './engine.ts';
import type { EngineHandle } from './lazy-engine.ts';
import { backoffDelay } from './merge.ts';

export interface SchedulerOptions {
  engine: Pick<EngineHandle, 'syncNow' | 'subscribe'>;
  intervalMs?: number;
  isOnline?: () => boolean;
  random?: () => number;
  /** Other tabs' sync events arrive here (BroadcastChannel 'sotay-sync'). */
  onRemoteEvent?: (event: SyncEvent) => void;
  /** Another tab said 'start' or 'progress' and then nothing for this long (it was closed). */
  remoteQuietMs?: number;
  onRemoteQuiet?: () => void;
  onOnlineChange?: (online: boolean) => void;
}

export const SYNC_CHANNEL = 'sotay-sync';

export class SyncScheduler {
  readonly #engine: Pick<EngineHandle, 'syncNow' | 'subscribe'>;
  readonly #intervalMs: number;
  readonly #isOnline: () => boolean;
  readonly #random: () => number;
  readonly #opts: SchedulerOptions;
  #interval: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #quiet: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  /** Set by a 426: no trigger syncs again until the app is updated (reloaded). */
  #outdated = false;
  #channel: BroadcastChannel | null = null;
  #cleanup: (() => void)[] = [];

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.#engine = opts.engine;
    this.#intervalMs = opts.intervalMs ?? 60_000;
    this.#isOnline = opts.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
    this.#random = opts.random ?? Math.random;
  }

  /** A retry is scheduled (after a failure). */
  get retryPending(): boolean {
    return this.#retry !== undefined;
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
    this.#cleanup.push(listenForWorkerSync(() => void this.request()));
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(SYNC_CHANNEL);
      channel.onmessage = (e: MessageEvent<SyncEvent>) => this.#remote(e.data);
      this.#channel = channel;
      this.#cleanup.push(this.#engine.subscribe((event) => channel.postMessage(event)));
    }
    this.#interval = setInterval(() => {
      if (this.#isOnline() && this.#retry === undefined) void this.request();
    }, this.#intervalMs);
    // Offline, a run would only load the engine's code and mark the waiting records uploading and
    // back, on the CPU the first tap needs: the 'online' event starts it.
    if (this.#isOnline()) void this.request();
  }

  stop(): void {
    clearInterval(this.#interval);
    clearTimeout(this.#retry);
    clearTimeout(this.#quiet);
    this.#interval = undefined;
    this.#retry = undefined;
    this.#quiet = undefined;
    for (const fn of this.#cleanup.splice(0)) fn();
    this.#channel?.close();
    this.#channel = null;
  }

  /** A record was saved: sync now, and let the browser wake us when back online. */
  afterSave(): Promise<SyncOutcome> {
    void registerBackgroundSync();
    return this.request();
  }

  /** Sync now (after a save, a button, the network coming back). */
  async request(): Promise<SyncOutcome> {
    if (this.#outdated) return 'outdated';
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const outcome = await this.#engine.syncNow();
    if (outcome === 'ok' || outcome === 'no_session' || outcome === 'unauthorized') {
      this.#failures = 0;
    } else if (outcome === 'outdated') {
      // Retrying cannot help: the server needs a newer app.
      this.#outdated = true;
    } else if (this.#interval !== undefined && this.#isOnline() && this.#retry === undefined) {
      // Offline waits for the 'online' event instead of polling.
      const delay = backoffDelay(this.#failures++, this.#random);
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        void this.request();
      }, delay);
    }
    return outcome;
  }

  #remote(event: SyncEvent): void {
    this.#opts.onRemoteEvent?.(event);
    clearTimeout(this.#quiet);
    this.#quiet = undefined;
    if (event.type === 'end') {
      if (event.outcome === 'outdated') this.#outdated = true;
      return;
    }
    this.#quiet = setTimeout(() => {
      this.#quiet = undefined;
      this.#opts.onRemoteQuiet?.();
    }, this.#opts.remoteQuietMs ?? 60_000);
  }
}
