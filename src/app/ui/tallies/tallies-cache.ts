// The tallies screen's last answer, so that opening the tab again paints the numbers at once
// instead of after a database round trip. Exact, not merely recent: a cached answer is used only
// when no counter was written on this page since it was read (countersGeneration). The screen's
// live query re-reads on every mount anyway, which also catches writes made in another tab.
import { countersGeneration } from '../../db/counters.ts';
import type { SotayDB } from '../../db/database.ts';
import { ownTallyPeriods, type OwnTally } from '../../db/records-repo.ts';

type Spans = readonly { from: string; to: string }[];

let last: { db: SotayDB; key: string; generation: number; value: OwnTally[] } | undefined;

const keyOf = (spans: Spans) => spans.map((p) => `${p.from}..${p.to}`).join(',');

/** The tallies of these periods as last read, if no counter changed since; else undefined. */
export function cachedTallies(db: SotayDB, spans: Spans): OwnTally[] | undefined {
  if (!last || last.db !== db || last.key !== keyOf(spans)) return undefined;
  return last.generation === countersGeneration() ? last.value : undefined;
}

/**
 * Read the tallies (one key-range read of the counters, one of an index's keys for the distinct
 * citizens) and remember them for the next mount. The counters' generation covers the citizens
 * too: a device key is set only when a record is created, so any change to who is counted (a
 * save, a delete, a new day, a record no longer own, a wipe) writes a counter as well.
 */
export async function readTallies(db: SotayDB, spans: Spans): Promise<OwnTally[]> {
  const generation = countersGeneration();
  const value = await ownTallyPeriods(db, spans);
  last = { db, key: keyOf(spans), generation, value };
  return value;
}
