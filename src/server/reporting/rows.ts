// Raw report rows (either store) into the shapes of src/shared/reporting.ts.
import type { TallyDimension, TallyKey, TallyResponse } from '../../shared/index.ts';

export interface RawTallyRow {
  k0?: unknown;
  k1?: unknown;
  k2?: unknown;
  count: number | string;
  citizens: number | string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toTallyResponse(
  groupBy: readonly TallyDimension[],
  groups: RawTallyRow[],
  total: RawTallyRow | undefined,
): TallyResponse {
  const rows = groupBy.length
    ? groups.map((g) => {
        const key: TallyKey = {};
        const raw = [g.k0, g.k1, g.k2];
        groupBy.forEach((d, i) => {
          key[d] = str(raw[i]);
        });
        return { key, count: Number(g.count), citizens: Number(g.citizens) };
      })
    : [];
  // Sorted here, not in SQL: both stores then order alike whatever their collation (null first).
  const cmp = (a: string | null | undefined, b: string | null | undefined): number =>
    a === b ? 0 : a === null || a === undefined ? -1 : b === null || b === undefined ? 1 : a < b ? -1 : 1;
  rows.sort((a, b) => {
    for (const d of groupBy) {
      const c = cmp(a.key[d], b.key[d]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return { rows, total: { count: Number(total?.count ?? 0), citizens: Number(total?.citizens ?? 0) } };
}
