// The sync engine's code loads on the first sync, not with the first screen: nothing syncs before
// the app has painted, and the phone's first load carries only what it needs to show the form.
import type { SyncEngine, SyncEngineOptions, SyncEvent, SyncOutcome } from './engine.ts';

/** What the scheduler and the app use of the engine. */
export interface EngineHandle {
  /** A run is going on in this tab. */
  readonly running: boolean;
  syncNow(): Promise<SyncOutcome>;
  /** Listen to the runs' events; returns the unsubscribe function. Works before the code loads. */
  subscribe(listener: (event: SyncEvent) => void): () => void;
}

type EngineModule = Pick<typeof import('./engine.ts'), 'SyncEngine'>;

export class LazyEngine implements EngineHandle {
  readonly #options: SyncEngineOptions;
  readonly #load: () => Promise<EngineModule>;
  readonly #listeners = new Set<(event: SyncEvent) => void>();
  #engine: SyncEngine | null = null;
  #loading: Promise<SyncEngine> | null = null;

  constructor(options: SyncEngineOptions, load: () => Promise<EngineModule> = () => import('./engine.ts')) {
    this.#options = options;
    this.#load = load;
  }

  get running(): boolean {
    return this.#engine?.running ?? false;
  }

  /** The engine, its code fetched once (from the precache when offline). */
  engine(): Promise<SyncEngine> {
    this.#loading ??= this.#load().then(
      ({ SyncEngine }) => {
        const engine = new SyncEngine(this.#options);
        engine.subscribe((event) => {
          for (const listener of this.#listeners) listener(event);
        });
        this.#engine = engine;
        return engine;
      },
      (error: unknown) => {
        // A failed fetch is tried again on the next sync instead of failing every later one.
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  async syncNow(): Promise<SyncOutcome> {
    let engine: SyncEngine;
    try {
      engine = await this.engine();
    } catch {
      return 'failed';
    }
    return engine.syncNow();
  }

  subscribe(listener: (event: SyncEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
