// Raw report rows (either store) into the shapes of src/shared/reporting.ts.
import type { TallyDimension, TallyKey, TallyResponse } from '../../../shared/index.ts';

export interface RawTallyRow {
  k0?: unknown;
  k1?: unknown;
  k2?: unknown;
  count: number | string;
  citizens: number | string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface RawCountRow {
  k0?: unknown;
  k1?: unknown;
  k2?: unknown;
  count: number | string;
}
export interface RawCitizensRow {
  k0?: unknown;
  k1?: unknown;
  k2?: unknown;
  citizens: number | string;
}

const keyOf = (r: { k0?: unknown; k1?: unknown; k2?: unknown }): string =>
  JSON.stringify([str(r.k0), str(r.k1), str(r.k2)]);

/**
 * Counts (from the daily aggregates) and distinct citizens (from the records' index) joined by
 * group key. A group with records but no citizen key has 0 citizens; a group is never made of
 * citizens alone (every record counted there is counted by the aggregates too).
 */
export function joinTally(
  groupBy: readonly TallyDimension[],
  counts: RawCountRow[],
  citizens: RawCitizensRow[],
  totalCount: RawCountRow | undefined,
  totalCitizens: RawCitizensRow | undefined,
  rejected: RawRejectedRow | undefined,
): TallyResponse {
  const byKey = new Map(citizens.map((c) => [keyOf(c), c.citizens]));
  const groups: RawTallyRow[] = counts
    .filter((c) => Number(c.count) > 0)
    .map((c) => ({ ...c, citizens: byKey.get(keyOf(c)) ?? 0 }));
  return toTallyResponse(
    groupBy,
    groups,
    { count: totalCount?.count ?? 0, citizens: totalCitizens?.citizens ?? 0 },
    rejected,
  );
}

/** Records refused in review in the tally's filter (a query of sql.ts, `rejectedSql`). */
export interface RawRejectedRow {
  rejected: number | string | null;
}

/** A key value as the answer gives it: paidOnline a boolean (SQLite stores 0/1), the rest text. */
function keyValue(d: TallyDimension, v: unknown): string | boolean | null {
  if (v === null || v === undefined) return null;
  if (d === 'paidOnline') return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
  return String(v);
}

export function toTallyResponse(
  groupBy: readonly TallyDimension[],
  groups: RawTallyRow[],
  total: RawTallyRow | undefined,
  rejected?: RawRejectedRow | undefined,
): TallyResponse {
  const rows = groupBy.length
    ? groups
        .filter((g) => Number(g.count) > 0)
        .map((g) => {
          const key: Record<string, string | boolean | null> = {};
          const raw = [g.k0, g.k1, g.k2];
          groupBy.forEach((d, i) => {
            key[d] = keyValue(d, raw[i]);
          });
          return { key: key as TallyKey, count: Number(g.count), citizens: Number(g.citizens) };
        })
    : [];
  // Sorted here, not in SQL: both stores then order alike whatever their collation (null first,
  // false before true).
  type K = string | boolean | null | undefined;
  const cmp = (a: K, b: K): number =>
    a === b ? 0 : a === null || a === undefined ? -1 : b === null || b === undefined ? 1 : a < b ? -1 : 1;
  rows.sort((a, b) => {
    for (const d of groupBy) {
      const c = cmp(a.key[d], b.key[d]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return {
    rows,
    total: { count: Number(total?.count ?? 0), citizens: Number(total?.citizens ?? 0) },
    rejected: Number(rejected?.rejected ?? 0),
  };
}
