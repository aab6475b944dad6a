// The records list's last first page (own records, no filter), so that opening the tab again
// paints the rows at once instead of after a database round trip. Exact, not merely recent: used
// only when no record was written on this page since it was read (recordsGeneration). The list's
// live query re-reads on every mount anyway, which also catches writes made in another tab.
import { recordsGeneration } from '../db/counters.ts';
import type { LocalRecord, SotayDB } from '../db/database.ts';
import { myRecordsPage } from '../db/records-repo.ts';

let last: { db: SotayDB; limit: number; generation: number; rows: LocalRecord[] } | undefined;

/** The first `limit` own records as last read, if no record changed since; else undefined. */
export function cachedFirstPage(db: SotayDB, limit: number): LocalRecord[] | undefined {
  if (!last || last.db !== db || last.limit !== limit) return undefined;
  return last.generation === recordsGeneration() ? last.rows : undefined;
}

/** Read the first `limit` own records from the index and remember them for the next mount. */
export async function readFirstPage(db: SotayDB, limit: number): Promise<LocalRecord[]> {
  const generation = recordsGeneration();
  const rows = await myRecordsPage(db, { limit });
  last = { db, limit, generation, rows };
  return rows;
}
