// The hosting province's tally (docs/operations.md, "A province on one PostgreSQL"): counts by
// commune and a few rollup dimensions across every commune of the deployment, read from
// `daily_commune_category` (migration 20261209-60), or `daily_rollup` when the outcome is asked for —
// both with `n` the counted records of "What counts" and `rejected` the refused ones — so it never
// touches a record, a person or a citizen's data.
import type { ProvinceDimension, ProvinceTallyInput, ProvinceTallyRow } from '../store.ts';
import type { BuiltQuery, Dialect } from './sql.ts';

function expr(d: ProvinceDimension): string {
  switch (d) {
    case 'category':
      return "nullif(category, '')";
    case 'outcome':
      return "nullif(outcome, '')";
    case 'month':
      return 'substr(day, 1, 7)';
  }
}

/** Rows `{ commune, k0…, count, rejected }`, ordered by commune then keys. */
export function provinceTallySql(q: ProvinceTallyInput, dialect: Dialect): BuiltQuery {
  const params: unknown[] = [];
  const add = (v: unknown): string => {
    params.push(v);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  const where = [`day >= ${add(q.from)}`, `day <= ${add(q.to)}`];
  if (q.category !== undefined) where.push(`category = ${add(q.category)}`);
  const keys = q.groupBy.map((d, i) => `${expr(d)} AS k${i}`);
  const group = ['commune_code', ...q.groupBy.map((_, i) => `k${i}`)].join(', ');
  return {
    sql: `SELECT commune_code AS commune${keys.map((k) => `, ${k}`).join('')},
            sum(n) AS count, sum(rejected) AS rejected
          FROM ${q.groupBy.includes('outcome') ? 'daily_rollup' : 'daily_commune_category'} WHERE ${where.join(' AND ')}
          GROUP BY ${group} ORDER BY ${group}`,
    params,
  };
}

/** The statement's rows as the store answers them (bigint sums arrive as strings on PostgreSQL). */
export function toProvinceRows(
  raw: readonly Record<string, unknown>[],
  groupBy: readonly ProvinceDimension[],
): ProvinceTallyRow[] {
  return raw.map((r) => ({
    commune: String(r.commune),
    keys: groupBy.map((_, i) => {
      const v = r[`k${i}`];
      return v === null || v === undefined ? null : String(v);
    }),
    count: Number(r.count),
    rejected: Number(r.rejected),
  }));
}
