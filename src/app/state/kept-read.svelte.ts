// The live read behind a tab screen that stays mounted while hidden (App.svelte; the tallies and
// the own records, for the tab screens' budget). Hidden, the screen holds no live query, so saves and
// sync do not re-read it in the background. Shown again, it paints what it last read; if nothing
// it reads was written since — on this page (the write counter of db/counters.ts) or in another
// tab (Dexie's change event, which reaches every tab) — that answer is exact and nothing is read,
// so showing the screen costs one frame. The live query then starts only when its table changes
// while it is shown. Otherwise it re-reads at once, and the screen marks the old answer busy.
import { Dexie, liveQuery, type Observable, type ObservabilitySet } from 'dexie';

export class KeptRead<T> {
  /** The last answer, what it answers (`key`) and the page's write count when read; not reactive. */
  #held: { key: string; generation: number; value: T } | undefined;
  /** The table changed (this page or another tab) since `#held` was read. */
  #changed = false;
  /** A live query serves the current show. */
  #querying = false;
  /** Bumped by a change while shown without a live query: starts one. */
  #wake = $state(0);
  readonly #table: string;
  readonly #generation: () => number;

  /** `generation` counts this page's writes to `table` (db/counters.ts). */
  constructor(table: string, generation: () => number) {
    this.#table = table;
    this.#generation = generation;
  }

  /** Watches the table's change events in database `dbName`; returns the stop (for an $effect). */
  listen(dbName: string): () => void {
    const prefix = `idb://${dbName}/${this.#table}/`;
    const onChange = (parts: ObservabilitySet) => {
      if (!Object.keys(parts).some((part) => part.startsWith(prefix))) return;
      this.#changed = true;
      if (!this.#querying) this.#wake++;
    };
    Dexie.on('storagemutated', onChange);
    return () => Dexie.on.storagemutated.unsubscribe(onChange);
  }

  /** The last answer if it answers `key` (however old). */
  held(key: string): T | undefined {
    return this.#held?.key === key ? this.#held.value : undefined;
  }

  /** The last answer answers `key` and nothing was written since: it is exact. Reactive to changes. */
  fresh(key: string): boolean {
    void this.#wake;
    return this.#held?.key === key && this.#held.generation === this.#generation() && !this.#changed;
  }

  /** Shown (`active`) before a re-read answered, with the held answer possibly stale. */
  stale(active: boolean, key: string): boolean {
    return active && this.#held?.key === key && !this.fresh(key);
  }

  /**
   * For a `$derived`: the live query of `key` while shown and the held answer is not known exact;
   * else undefined (the screen paints `held(key)`).
   */
  live(active: boolean, key: string, read: () => Promise<T>): Observable<T> | undefined {
    this.#querying = active && !this.fresh(key);
    if (!this.#querying) return undefined;
    return liveQuery(async () => {
      const generation = this.#generation();
      this.#changed = false;
      const value = await read();
      this.#held = { key, generation, value };
      return value;
    });
  }
}
