// The SQL behind tallies, targets and exports, written once for both stores: the dialects differ
// only in placeholders, booleans and the ISO-week expression. Counts come from the maintained
// `daily_aggregates` and `daily_rollup` (migrations 20261128-04, 20261208-01); distinct citizens,
// exports and the groups by payment or failure reason read the tally columns of `records`
// (migrations 20261128-03, 20261208-02) through the covering index. Tallies the citizen cells answer
// (citizen-cells.ts) use none of this but the full-scan form, their tests' oracle. Without a
// review-state filter every query here leaves out the records refused in review ("What counts").
import { DE_AN_06_CATEGORIES, POLICE_SERVICE_CODES, type TallyDimension } from '../../../shared/index.ts';
import type { PullScope, ReportFilter } from '../store.ts';

export type Dialect = 'sqlite' | 'postgres';

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(v: unknown): string {
    this.values.push(v);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

/**
 * Where a dimension lives: `records` (tally columns, NULL when missing), `daily_aggregates` or
 * `daily_rollup` ('' when missing; the rollup's `n` counts only records not refused in review).
 */
type Source = 'records' | 'aggregates' | 'rollup';

function column(name: string, source: Source): string {
  return source !== 'records' && name !== 'team_id' && name !== 'volunteer_id' ? `nullif(${name}, '')` : name;
}

/** Dimensions only `records` has (neither per-day table keeps them). */
const RECORD_ONLY_DIMENSIONS: ReadonlySet<TallyDimension> = new Set(['paidOnline', 'failReason']);

/**
 * A tally grouped or filtered by payment or failure reason reads its counts from `records`, not the
 * per-day tables.
 */
export function countsFromRecords(f: ReportFilter, groupBy: readonly TallyDimension[]): boolean {
  return (
    f.paidOnline !== undefined ||
    f.failReason !== undefined ||
    groupBy.some((d) => RECORD_ONLY_DIMENSIONS.has(d))
  );
}

function dimensionExpr(d: TallyDimension, dialect: Dialect, source: Source): string {
  const dayCol = source === 'records' ? 'occurred_on' : 'day';
  switch (d) {
    case 'hamlet':
      return column('hamlet_id', source);
    case 'team':
      return 'team_id';
    case 'volunteer':
      return 'volunteer_id';
    case 'category':
      return column('category', source);
    case 'service':
      return column('service_code', source);
    case 'outcome':
      return column('outcome', source);
    case 'day':
      return dayCol;
    case 'month':
      return `substr(${dayCol}, 1, 7)`;
    case 'quarter':
      return dialect === 'sqlite'
        ? `(substr(${dayCol}, 1, 4) || '-Q' || ((CAST(substr(${dayCol}, 6, 2) AS INTEGER) + 2) / 3))`
        : `(substr(${dayCol}, 1, 4) || '-Q' || ((substr(${dayCol}, 6, 2)::int + 2) / 3))`;
    case 'week':
      // The Thursday of a day's ISO week names its ISO year; its day of year gives the week number.
      return dialect === 'sqlite'
        ? `(strftime('%Y', ${dayCol}, '-3 days', 'weekday 4') || '-W' ||
            printf('%02d', (CAST(strftime('%j', ${dayCol}, '-3 days', 'weekday 4') AS INTEGER) - 1) / 7 + 1))`
        : `to_char(${dayCol}::date, 'IYYY-"W"IW')`;
    case 'paidOnline':
    case 'failReason':
      if (source !== 'records') throw new Error(`${d} is read from records only`);
      return d === 'paidOnline' ? 'paid_online' : 'fail_reason';
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

/** `value` equal to the column, where 'none' (service, review state) means missing. */
function equals(name: string, value: string, source: Source, p: Params): string {
  if (value === 'none') return source === 'records' ? `${name} IS NULL` : `${name} = ''`;
  return `${name} = ${p.add(value)}`;
}

function inList(name: string, values: readonly string[], p: Params): string {
  return `${name} IN (${values.map((v) => p.add(v)).join(', ')})`;
}

/** The counted records: not refused in review (a record not reviewed yet is NULL in `records`, '' in the aggregates). */
function countedWhere(source: Source): string | null {
  if (source === 'rollup') return null;
  return source === 'records'
    ? "(review_state IS NULL OR review_state <> 'rejected')"
    : "review_state <> 'rejected'";
}

function filterWhere(f: ReportFilter, p: Params, dialect: Dialect, source: Source = 'records'): string {
  const dayCol = source === 'records' ? 'occurred_on' : 'day';
  const parts = [
    ...(f.scope.kind !== 'commune' && f.communeCode ? [`commune_code = ${p.add(f.communeCode)}`] : []),
    scopeWhere(f.scope, p),
    ...(source === 'records' ? [dialect === 'sqlite' ? 'deleted = 0' : 'deleted = false'] : []),
    `${dayCol} >= ${p.add(f.from)}`,
    `${dayCol} <= ${p.add(f.to)}`,
  ];
  if (f.category) parts.push(`category = ${p.add(f.category)}`);
  if (f.outcome) parts.push(`outcome = ${p.add(f.outcome)}`);
  if (f.hamlet) parts.push(`hamlet_id = ${p.add(f.hamlet)}`);
  if (f.team) parts.push(`team_id = ${p.add(f.team)}`);
  if (f.volunteer) parts.push(`volunteer_id = ${p.add(f.volunteer)}`);
  if (f.service) parts.push(equals('service_code', f.service, source, p));
  if (f.paidOnline !== undefined || f.failReason !== undefined) {
    if (source !== 'records') throw new Error('payment and failure reason are read from records only');
    if (f.paidOnline === 'none') parts.push('paid_online IS NULL');
    else if (f.paidOnline !== undefined)
      parts.push(
        `paid_online = ${p.add(dialect === 'sqlite' ? Number(f.paidOnline === 'true') : f.paidOnline === 'true')}`,
      );
    if (f.failReason !== undefined) parts.push(equals('fail_reason', f.failReason, source, p));
  }
  if (f.view === 'de_an_06')
    parts.push(
      `(${inList('category', DE_AN_06_CATEGORIES, p)} OR ${inList('service_code', POLICE_SERVICE_CODES, p)})`,
    );
  if (f.reviewState) {
    if (source === 'rollup') throw new Error('the rollup has no review state');
    parts.push(equals('review_state', f.reviewState, source, p));
  } else if (!f.includeRejected) {
    const counted = countedWhere(source);
    if (counted) parts.push(counted);
  } else if (source === 'rollup') throw new Error('the rollup counts only records not refused');
  return parts.join(' AND ');
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

const ROLLUP_DIMENSIONS: ReadonlySet<TallyDimension> = new Set([
  'hamlet',
  'category',
  'service',
  'outcome',
  'day',
  'week',
  'month',
  'quarter',
]);

/**
 * The commune-wide rollup answers when nothing asks for a team, a volunteer or a review state, and
 * refused records are left out (its `n`; its `rejected` counts them).
 */
export function rollupAnswers(f: ReportFilter, groupBy: readonly TallyDimension[]): boolean {
  return (
    f.scope.kind === 'commune' &&
    !f.team &&
    !f.volunteer &&
    !f.reviewState &&
    !f.includeRejected &&
    !countsFromRecords(f, groupBy) &&
    groupBy.every((d) => ROLLUP_DIMENSIONS.has(d))
  );
}

/**
 * Rows `{ k0, k1, k2?, count }` per group from the maintained per-day counters (migration
 * 20261128-04): `daily_rollup` when it has every column asked for, else `daily_aggregates`.
 */
export function tallyCountsSql(
  f: ReportFilter,
  groupBy: readonly TallyDimension[],
  dialect: Dialect,
): BuiltQuery {
  const p = new Params(dialect);
  const source: Source = rollupAnswers(f, groupBy) ? 'rollup' : 'aggregates';
  const where = filterWhere(f, p, dialect, source);
  const table = source === 'rollup' ? 'daily_rollup' : 'daily_aggregates';
  const keys = groupBy.map((d, i) => `${dimensionExpr(d, dialect, source)} AS k${i}`);
  const cols = keys.length ? `${keys.join(', ')}, ` : '';
  const group = groupBy.length ? ` GROUP BY ${groupBy.map((_, i) => `k${i}`).join(', ')}` : '';
  return {
    sql: `SELECT ${cols}coalesce(sum(n), 0) AS count FROM ${table} WHERE ${where}${group}`,
    params: p.values,
  };
}

/**
 * Rows `{ k0, k1, k2?, citizens }`: distinct citizens are not additive over days, so they are
 * counted exactly from the covering index of `records`, only over records that name a citizen.
 */
export function tallyCitizensSql(
  f: ReportFilter,
  groupBy: readonly TallyDimension[],
  dialect: Dialect,
): BuiltQuery {
  const p = new Params(dialect);
  const where = filterWhere(f, p, dialect);
  const keys = groupBy.map((d, i) => `${dimensionExpr(d, dialect, 'records')} AS k${i}`);
  const cols = keys.length ? `${keys.join(', ')}, ` : '';
  const group = groupBy.length ? ` GROUP BY ${groupBy.map((_, i) => `k${i}`).join(', ')}` : '';
  return {
    sql: `SELECT ${cols}count(DISTINCT citizen_no) AS citizens
          FROM records WHERE ${where} AND citizen_no IS NOT NULL${group}`,
    params: p.values,
  };
}

/**
 * PostgreSQL: the groups' distinct citizens and the total's in one pass over the index
 * (`GROUPING SETS ((keys), ())`); the total is the row whose `g` is not 0.
 */
export function tallyCitizensOnePassSql(f: ReportFilter, groupBy: readonly TallyDimension[]): BuiltQuery {
  const p = new Params('postgres');
  const where = filterWhere(f, p, 'postgres');
  const exprs = groupBy.map((d) => dimensionExpr(d, 'postgres', 'records'));
  const keys = exprs.map((e, i) => `${e} AS k${i}`);
  return {
    sql: `SELECT ${keys.join(', ')}, count(DISTINCT citizen_no) AS citizens, GROUPING(${exprs.join(', ')}) AS g
          FROM records WHERE ${where} AND citizen_no IS NOT NULL
          GROUP BY GROUPING SETS ((${exprs.join(', ')}), ())`,
    params: p.values,
  };
}

/** The full-scan form (count and citizens from `records`): the bench baseline and the property test's oracle. */
export function tallyGroupsSql(
  f: ReportFilter,
  groupBy: readonly TallyDimension[],
  dialect: Dialect,
  citizens = true,
): BuiltQuery {
  const p = new Params(dialect);
  const where = filterWhere(f, p, dialect);
  const keys = groupBy.map((d, i) => `${dimensionExpr(d, dialect, 'records')} AS k${i}`);
  const cols = keys.length ? `${keys.join(', ')}, ` : '';
  const group = groupBy.length ? ` GROUP BY ${groupBy.map((_, i) => `k${i}`).join(', ')}` : '';
  const distinct = citizens ? 'count(DISTINCT citizen_no)' : '0';
  return {
    sql: `SELECT ${cols}count(*) AS count, ${distinct} AS citizens
          FROM records WHERE ${where}${group}`,
    params: p.values,
  };
}

/**
 * One row `{ rejected }`: the records refused in review in the same scope, period and filters as
 * the tally (the rollup's `rejected` when it answers, else the aggregates' 'rejected' rows). Null
 * when the filter names a review state or takes every state: then nothing is left out.
 */
export function rejectedSql(f: ReportFilter, dialect: Dialect): BuiltQuery | null {
  if (f.reviewState || f.includeRejected) return null;
  const p = new Params(dialect);
  if (countsFromRecords(f, [])) {
    const where = filterWhere({ ...f, reviewState: 'rejected' }, p, dialect);
    return { sql: `SELECT count(*) AS rejected FROM records WHERE ${where}`, params: p.values };
  }
  if (rollupAnswers(f, [])) {
    const where = filterWhere(f, p, dialect, 'rollup');
    return {
      sql: `SELECT coalesce(sum(rejected), 0) AS rejected FROM daily_rollup WHERE ${where}`,
      params: p.values,
    };
  }
  const where = filterWhere({ ...f, reviewState: 'rejected' }, p, dialect, 'aggregates');
  return {
    sql: `SELECT coalesce(sum(n), 0) AS rejected FROM daily_aggregates WHERE ${where}`,
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
