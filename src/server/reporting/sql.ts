// The SQL behind tallies, targets and exports, written once for both stores: the dialects differ
// only in placeholders, booleans and the ISO-week expression. Every query reads the tally columns
// of `records` (generated from `data`, migration 20261128-03) through a covering index per scope.
import type { TallyDimension } from '../../shared/index.ts';
import type { PullScope, ReportFilter } from '../store/store.ts';

export type Dialect = 'sqlite' | 'postgres';

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(v: unknown): string {
    this.values.push(v);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

function dimensionExpr(d: TallyDimension, dialect: Dialect): string {
  switch (d) {
    case 'hamlet':
      return 'hamlet_id';
    case 'team':
      return 'team_id';
    case 'volunteer':
      return 'volunteer_id';
    case 'category':
      return 'category';
    case 'service':
      return 'service_code';
    case 'outcome':
      return 'outcome';
    case 'day':
      return 'occurred_on';
    case 'month':
      return 'substr(occurred_on, 1, 7)';
    case 'week':
      // The Thursday of a day's ISO week names its ISO year; its day of year gives the week number.
      return dialect === 'sqlite'
        ? `(strftime('%Y', occurred_on, '-3 days', 'weekday 4') || '-W' ||
            printf('%02d', (CAST(strftime('%j', occurred_on, '-3 days', 'weekday 4') AS INTEGER) - 1) / 7 + 1))`
        : `to_char(occurred_on::date, 'IYYY-"W"IW')`;
  }
}

/**
 * The scope as a condition on the scope's own leading index column (a volunteer's scope for
 * reporting is their own records only, unlike pull, which also carries the team read-only).
 */
function scopeWhere(scope: PullScope, p: Params): string {
  switch (scope.kind) {
    case 'volunteer':
      return `volunteer_id = ${p.add(scope.userId)}`;
    case 'team':
      return `team_id = ${p.add(scope.teamId)}`;
    case 'commune':
      return `commune_code = ${p.add(scope.communeCode)}`;
  }
}

function filterWhere(f: ReportFilter, p: Params, dialect: Dialect): string {
  const parts = [
    ...(f.scope.kind !== 'commune' && f.communeCode ? [`commune_code = ${p.add(f.communeCode)}`] : []),
    scopeWhere(f.scope, p),
    dialect === 'sqlite' ? 'deleted = 0' : 'deleted = false',
    `occurred_on >= ${p.add(f.from)}`,
    `occurred_on <= ${p.add(f.to)}`,
  ];
  if (f.category) parts.push(`category = ${p.add(f.category)}`);
  if (f.outcome) parts.push(`outcome = ${p.add(f.outcome)}`);
  if (f.hamlet) parts.push(`hamlet_id = ${p.add(f.hamlet)}`);
  if (f.reviewState === 'none') parts.push('review_state IS NULL');
  else if (f.reviewState) parts.push(`review_state = ${p.add(f.reviewState)}`);
  return parts.join(' AND ');
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

/** Rows `{ k0, k1, k2?, count, citizens }` per group (ordered later, in toTallyResponse). */
export function tallyGroupsSql(
  f: ReportFilter,
  groupBy: readonly TallyDimension[],
  dialect: Dialect,
): BuiltQuery {
  const p = new Params(dialect);
  const where = filterWhere(f, p, dialect);
  const keys = groupBy.map((d, i) => `${dimensionExpr(d, dialect)} AS k${i}`);
  const cols = keys.length ? `${keys.join(', ')}, ` : '';
  const group = groupBy.length ? ` GROUP BY ${groupBy.map((_, i) => `k${i}`).join(', ')}` : '';
  return {
    sql: `SELECT ${cols}count(*) AS count, count(DISTINCT citizen_no) AS citizens
          FROM records WHERE ${where}${group}`,
    params: p.values,
  };
}

export const EXPORT_COLUMNS =
  'id, commune_code, team_id, volunteer_id, version, data, review_state, review_comment, created_at, updated_at, occurred_on';

/** One page of live records in the filter, ordered by (occurred_on, id), after the given key. */
export function exportPageSql(
  f: ReportFilter,
  after: { occurredOn: string; id: string } | null,
  limit: number,
  dialect: Dialect,
): BuiltQuery {
  const p = new Params(dialect);
  let where = filterWhere(f, p, dialect);
  if (after) where += ` AND (occurred_on, id) > (${p.add(after.occurredOn)}, ${p.add(after.id)})`;
  return {
    sql: `SELECT ${EXPORT_COLUMNS} FROM records WHERE ${where} ORDER BY occurred_on, id LIMIT ${p.add(limit)}`,
    params: p.values,
  };
}
