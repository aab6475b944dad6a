// The tallies screen's last answer, so that opening the tab again paints the numbers at once
// instead of after a database round trip. Exact, not merely recent: a cached answer is used only
// when no counter was written on this page since it was read (countersGeneration). The screen's
// live query re-reads on every mount anyway, which also catches writes made in another tab.
import { countersGeneration } from '../../db/counters.ts';
import type { SotayDB } from '../../db/database.ts';
import { tallyPeriods, type Tally } from '../../db/records-repo.ts';

type Spans = readonly { from: string; to: string }[];

let last: { db: SotayDB; key: string; generation: number; value: Tally[] } | undefined;

const keyOf = (spans: Spans) => spans.map((p) => `${p.from}..${p.to}`).join(',');

/** The tallies of these periods as last read, if no counter changed since; else undefined. */
export function cachedTallies(db: SotayDB, spans: Spans): Tally[] | undefined {
  if (!last || last.db !== db || last.key !== keyOf(spans)) return undefined;
  return last.generation === countersGeneration() ? last.value : undefined;
}

/** Read the tallies (one key-range read of the counters) and remember them for the next mount. */
export async function readTallies(db: SotayDB, spans: Spans): Promise<Tally[]> {
  const generation = countersGeneration();
  const value = await tallyPeriods(db, spans);
  last = { db, key: keyOf(spans), generation, value };
  return value;
}
