// Tallies from the citizen cells (migrations 20261128-10, 20261208-01; docs/reporting.md "Citizen
// cells"): per (commune, day, hamlet, category) the number of counted records (live, not refused in
// review), the sorted dense numbers of their citizens, and the number of refused records. A tally whose groups and filters are made of those columns and of time adds the counts
// and unions the citizens of its period's cells per group, instead of reading every record of the
// period for exact distinct citizens. Written once for both stores: each runs the read queries in its
// own read snapshot and gives a `CellDb` over its write transaction for the rebuild.
import { isoWeek, type TallyDimension } from '../../../shared/index.ts';
import type { TallyInput } from '../store.ts';
import type { BuiltQuery, Dialect } from './sql.ts';
import type { RawTallyRow } from './rows.ts';

/** The dimensions a cell key can answer: its own columns and any period made of days. */
const CELL_DIMENSIONS: ReadonlySet<TallyDimension> = new Set([
  'hamlet',
  'category',
  'day',
  'week',
  'month',
  'quarter',
]);

/**
 * The cells answer a commune-wide tally of counted records grouped and filtered by hamlet, category
 * and time only; a team, volunteer, service, outcome, review state, payment, failure reason or the
 * Đề án 06 view (which names services) is not in a cell.
 */
export function cellsAnswer(q: TallyInput): boolean {
  return (
    q.scope.kind === 'commune' &&
    !q.team &&
    !q.volunteer &&
    !q.service &&
    !q.outcome &&
    !q.reviewState &&
    !q.includeRejected &&
    !q.countsOnly &&
    q.paidOnline === undefined &&
    q.failReason === undefined &&
    (q.view ?? 'all') === 'all' &&
    q.groupBy.every((d) => CELL_DIMENSIONS.has(d))
  );
}

export interface CellRow {
  day: string;
  hamlet_id: string;
  category: string;
  /** Counted records. */
  n: number | string;
  /** Records refused in review (not in `n`, not in `ids`). */
  rejected: number | string;
  ids: Uint8Array;
}

/** Statements on one open write transaction of either store. */
export interface CellDb {
  readonly dialect: Dialect;
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  run(sql: string, params: unknown[]): Promise<void>;
}

/** `:name` tokens into the dialect's placeholders, with the values in order. */
function bind(sql: string, values: Record<string, unknown>, dialect: Dialect): [string, unknown[]] {
  const params: unknown[] = [];
  const numbered = new Map<string, number>();
  const text = sql.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name}`);
    if (dialect === 'sqlite') {
      params.push(values[name]);
      return '?';
    }
    let n = numbered.get(name);
    if (n === undefined) {
      params.push(values[name]);
      n = params.length;
      numbered.set(name, n);
    }
    return `$${n}`;
  });
  return [text, params];
}

const DIRTY_IN_PERIOD = `SELECT 1 AS dirty FROM citizen_days_dirty
  WHERE commune_code = :commune AND day >= :from AND day <= :to LIMIT 1`;

function period(q: TallyInput): { commune: string; from: string; to: string } {
  if (q.scope.kind !== 'commune') throw new Error('citizen cells answer a commune scope only');
  return { commune: q.scope.communeCode, from: q.from, to: q.to };
}

/** A row when a day of the period has cells not rebuilt since a write: then they must not be read. */
export function dirtyInPeriodSql(q: TallyInput, dialect: Dialect): BuiltQuery {
  const [sql, params] = bind(DIRTY_IN_PERIOD, period(q), dialect);
  return { sql, params };
}

/** The cells (`CellRow`) of the tally's period and filters; read them only when the period is clean. */
export function cellsSql(q: TallyInput, dialect: Dialect): BuiltQuery {
  const values: Record<string, unknown> = { ...period(q) };
  let sql = `SELECT day, hamlet_id, category, n, rejected, ids FROM citizen_cells
    WHERE commune_code = :commune AND day >= :from AND day <= :to`;
  if (q.category) {
    sql += ' AND category = :category';
    values.category = q.category;
  }
  if (q.hamlet) {
    sql += ' AND hamlet_id = :hamlet';
    values.hamlet = q.hamlet;
  }
  const [text, params] = bind(sql, values, dialect);
  return { sql: text, params };
}

/** The cell's numbers as 32-bit integers (copied when the bytes are not 4-aligned). */
function idsOf(bytes: Uint8Array): Uint32Array {
  const n = bytes.byteLength >>> 2;
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  return new Uint32Array(bytes.slice().buffer, 0, n);
}

function encodeIds(ids: number[]): Buffer {
  const out = Buffer.alloc(ids.length * 4);
  ids.forEach((id, i) => out.writeUInt32LE(id, i * 4));
  return out;
}

function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) + 2) / 3)}`;
}

/** A group's key value for one cell, as the SQL of the other tallies would give it. */
function keyOf(d: TallyDimension, c: CellRow, weeks: Map<string, string>): string | null {
  switch (d) {
    case 'hamlet':
      return c.hamlet_id === '' ? null : c.hamlet_id;
    case 'category':
      return c.category === '' ? null : c.category;
    case 'day':
      return c.day;
    case 'month':
      return c.day.slice(0, 7);
    case 'quarter':
      return quarterOf(c.day);
    case 'week': {
      let w = weeks.get(c.day);
      if (w === undefined) weeks.set(c.day, (w = isoWeek(c.day)));
      return w;
    }
    default:
      throw new Error(`a citizen cell has no ${d}`);
  }
}

/**
 * Counts and distinct citizens per group and in all, from the cells: counts add up; for citizens
 * each group marks its members in one shared array with its own stamp, so no per-group set is ever
 * allocated. A cell holding only refused records makes no group (toTallyResponse drops count 0).
 */
export function countCells(
  groupBy: readonly TallyDimension[],
  cells: readonly CellRow[],
): { groups: RawTallyRow[]; total: RawTallyRow; rejected: number } {
  const weeks = new Map<string, string>();
  const groups = new Map<string, { keys: (string | null)[]; count: number; lists: Uint32Array[] }>();
  let max = 0;
  let count = 0;
  let rejected = 0;
  for (const c of cells) {
    const ids = idsOf(c.ids);
    const n = Number(c.n);
    count += n;
    rejected += Number(c.rejected);
    const keys = groupBy.map((d) => keyOf(d, c, weeks));
    const k = JSON.stringify(keys);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { keys, count: 0, lists: [] }));
    g.count += n;
    if (ids.length === 0) continue;
    max = Math.max(max, ids[ids.length - 1]!);
    g.lists.push(ids);
  }
  const stamp = new Uint32Array(max + 1);
  let mark = 0;
  const distinct = (lists: Iterable<Uint32Array>): number => {
    mark += 1;
    let n = 0;
    for (const ids of lists)
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (stamp[id] !== mark) {
          stamp[id] = mark;
          n += 1;
        }
      }
    return n;
  };
  const rows: RawTallyRow[] = [];
  if (groupBy.length)
    for (const g of groups.values()) {
      const row: RawTallyRow = { count: g.count, citizens: distinct(g.lists) };
      g.keys.forEach((v, i) => {
        (row as unknown as Record<string, unknown>)[`k${i}`] = v;
      });
      rows.push(row);
    }
  const all = function* (): Iterable<Uint32Array> {
    for (const g of groups.values()) yield* g.lists;
  };
  return { groups: rows, total: { count, citizens: distinct(all()) }, rejected };
}

// ---- rebuilding the dirty days ----

// The live records of the dirty days of the period (the covering index of migration 20261128-03 has
// every column read here); a refused one counts in its cell's `rejected` only.
const DIRTY_DAYS_RECORDS = `citizen_days_dirty d
  JOIN records r ON r.commune_code = d.commune_code AND r.deleted = :live AND r.occurred_on = d.day`;
const DIRTY_DAYS_WHERE = `d.commune_code = :commune AND d.day >= :from AND d.day <= :to`;

// New citizens of the dirty days get the next numbers of their commune, in one statement.
const NUMBER_NEW_CITIZENS = `INSERT INTO citizen_numbers (commune_code, citizen_no, id)
  SELECT CAST(:commune AS TEXT), citizen_no,
    (SELECT coalesce(max(id), 0) FROM citizen_numbers WHERE commune_code = :commune)
      + row_number() OVER (ORDER BY citizen_no)
  FROM (SELECT DISTINCT r.citizen_no FROM ${DIRTY_DAYS_RECORDS} WHERE ${DIRTY_DAYS_WHERE}
    AND r.citizen_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM citizen_numbers c
      WHERE c.commune_code = r.commune_code AND c.citizen_no = r.citizen_no)) AS fresh`;

const DIRTY_MEMBERS = `SELECT r.occurred_on AS day, coalesce(r.hamlet_id, '') AS hamlet_id,
    coalesce(r.category, '') AS category, c.id AS id,
    CASE WHEN r.review_state = 'rejected' THEN 1 ELSE 0 END AS refused
  FROM ${DIRTY_DAYS_RECORDS}
  LEFT JOIN citizen_numbers c ON c.commune_code = r.commune_code AND c.citizen_no = r.citizen_no
  WHERE ${DIRTY_DAYS_WHERE}`;

const DROP_DIRTY_CELLS = `DELETE FROM citizen_cells WHERE commune_code = :commune AND day IN
  (SELECT day FROM citizen_days_dirty WHERE commune_code = :commune AND day >= :from AND day <= :to)`;

const CLEAR_DIRTY = `DELETE FROM citizen_days_dirty WHERE commune_code = :commune AND day >= :from AND day <= :to`;

/** PostgreSQL inserts this many cells a statement (arrays through unnest). */
const PG_CELL_CHUNK = 2000;

/**
 * Rebuild every cell of the dirty days of the tally's period from the records, inside the caller's
 * write transaction (on PostgreSQL the caller first locks citizen_days_dirty, see the migration).
 * Returns the number of days rebuilt.
 */
export async function rebuildDirtyDays(db: CellDb, q: TallyInput): Promise<number> {
  const values = { ...period(q), live: db.dialect === 'sqlite' ? 0 : false };
  const exec = async (sql: string): Promise<void> => {
    const [text, params] = bind(sql, values, db.dialect);
    await db.run(text, params);
  };
  const [countSql, countParams] = bind(
    'SELECT count(*) AS n FROM citizen_days_dirty WHERE commune_code = :commune AND day >= :from AND day <= :to',
    values,
    db.dialect,
  );
  const days = Number((await db.all<{ n: number | string }>(countSql, countParams))[0]?.n ?? 0);
  if (days === 0) return 0;
  await exec(NUMBER_NEW_CITIZENS);
  const [membersSql, membersParams] = bind(DIRTY_MEMBERS, values, db.dialect);
  const members = await db.all<{
    day: string;
    hamlet_id: string;
    category: string;
    id: number | null;
    refused: number | string;
  }>(membersSql, membersParams);
  const cells = new Map<
    string,
    { day: string; hamlet: string; category: string; n: number; rejected: number; ids: number[] }
  >();
  for (const m of members) {
    const k = `${m.day}\u0000${m.hamlet_id}\u0000${m.category}`;
    let c = cells.get(k);
    if (!c)
      cells.set(
        k,
        (c = { day: m.day, hamlet: m.hamlet_id, category: m.category, n: 0, rejected: 0, ids: [] }),
      );
    // What counts: a refused record is beside the cell's figures, never in them.
    if (Number(m.refused)) {
      c.rejected += 1;
      continue;
    }
    c.n += 1;
    if (m.id !== null) c.ids.push(Number(m.id));
  }
  await exec(DROP_DIRTY_CELLS);
  const built = [...cells.values()].map((c) => ({
    ...c,
    bytes: encodeIds([...new Set(c.ids)].sort((a, b) => a - b)),
  }));
  const commune = values.commune;
  if (db.dialect === 'sqlite') {
    const insert = `INSERT INTO citizen_cells (commune_code, day, hamlet_id, category, n, rejected, ids)
      VALUES (?, ?, ?, ?, ?, ?, ?)`;
    for (const c of built)
      await db.run(insert, [commune, c.day, c.hamlet, c.category, c.n, c.rejected, c.bytes]);
  } else {
    for (let i = 0; i < built.length; i += PG_CELL_CHUNK) {
      const part = built.slice(i, i + PG_CELL_CHUNK);
      await db.run(
        `INSERT INTO citizen_cells (commune_code, day, hamlet_id, category, n, rejected, ids)
         SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
           $7::bytea[])`,
        [
          commune,
          part.map((c) => c.day),
          part.map((c) => c.hamlet),
          part.map((c) => c.category),
          part.map((c) => c.n),
          part.map((c) => c.rejected),
          part.map((c) => c.bytes),
        ],
      );
    }
  }
  await exec(CLEAR_DIRTY);
  return days;
}

// ---- rebuilding every dirty day (at server start) ----

/** Every dirty day, in the order `dirtyRuns` needs. */
export const ALL_DIRTY_DAYS_SQL =
  'SELECT commune_code, day FROM citizen_days_dirty ORDER BY commune_code, day';

/** At most this many dirty days a transaction, so writers wait for one short rebuild at a time. */
export const DIRTY_DAYS_PER_REBUILD = 31;

/**
 * One commune's dirty days cut into runs of at most `size` days, each as the period of a
 * `rebuildDirtyDays` call (days marked later inside a run's period are rebuilt with it).
 */
export function dirtyRuns(
  rows: readonly { commune_code: string; day: string }[],
  size = DIRTY_DAYS_PER_REBUILD,
): TallyInput[] {
  const runs: TallyInput[] = [];
  let run: { commune: string; from: string; to: string; days: number } | null = null;
  const close = (): void => {
    if (run)
      runs.push({
        scope: { kind: 'commune', communeCode: run.commune },
        from: run.from,
        to: run.to,
        groupBy: [],
      });
  };
  for (const r of rows) {
    if (run && run.commune === r.commune_code && run.days < size) {
      run.to = r.day;
      run.days += 1;
    } else {
      close();
      run = { commune: r.commune_code, from: r.day, to: r.day, days: 1 };
    }
  }
  close();
  return runs;
}
