// The volunteer's own tallies for the "Thống kê" screen: one key-range read of the maintained
// counters (db/counters.ts) and one of an index's keys for the distinct citizens, all periods at
// once. It keeps its last answer so that opening the tab again paints the numbers at once instead of
// after a database round trip. Exact, not merely recent: the held answer is used only when no
// counter was written on this page since it was read (countersGeneration); the screen's live query
// re-reads on every mount anyway, which also catches writes made in another tab.
import { COUNTERS, countersGeneration } from '../db/counters.ts';
import type { SotayDB } from '../db/database.ts';
import { ownTallyPeriods, type OwnTally } from '../db/records-repo.ts';
import { talliesSlot, type TalliesSource } from './tallies-slot.ts';

export type { OwnTally, Tally } from '../db/records-repo.ts';
type Spans = readonly { from: string; to: string }[];

const keyOf = (spans: Spans) => spans.map((p) => `${p.from}..${p.to}`).join(',');

export class TalliesState {
  /** The table whose writes change the tallies, and this page's write count of it. */
  readonly table = COUNTERS;
  readonly generation = countersGeneration;
  #last: { db: SotayDB; key: string; generation: number; value: OwnTally[] } | undefined;
  readonly #source: TalliesSource;

  constructor(source: TalliesSource) {
    this.#source = source;
  }

  /** The IndexedDB name, for the cross-tab change events of a kept screen (KeptRead.listen). */
  get dbName(): string {
    return this.#source.db.name;
  }

  /** The tallies of these periods as last read, if no counter changed since; else undefined. */
  cached(spans: Spans): OwnTally[] | undefined {
    const last = this.#last;
    if (!last || last.db !== this.#source.db || last.key !== keyOf(spans)) return undefined;
    return last.generation === countersGeneration() ? last.value : undefined;
  }

  /**
   * Read the tallies and remember them for the next mount. The counters' generation covers the
   * citizens too: a device key is set only when a record is created, so any change to who is
   * counted (a save, a delete, a new day, a record no longer own, a wipe) writes a counter as well.
   */
  async read(spans: Spans): Promise<OwnTally[]> {
    const db = this.#source.db;
    const generation = countersGeneration();
    const value = await ownTallyPeriods(db, spans);
    this.#last = { db, key: keyOf(spans), generation, value };
    return value;
  }
}

// The state built on each source, kept beside it so the slot module never names this class.
const built = new WeakMap<TalliesSource, TalliesState>();

/** The tallies state of the source the shell provided, built on first use and kept for it. */
export function useTallies(): TalliesState {
  const source = talliesSlot.get();
  let state = built.get(source);
  if (!state) built.set(source, (state = new TalliesState(source)));
  return state;
}
