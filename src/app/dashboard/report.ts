// Pure shaping of tally answers for the dashboard: the Đề án 06 subset, sums by hamlet and category,
// the hamlet × category table, trend buckets over the period and reconciliation marks.
import {
  CATEGORIES,
  SERVICE_CATALOGUE,
  formatNumberVi,
  isoWeek,
  labelOf,
  type Category,
  type ReconciliationRow,
  type TallyRow,
} from '../../shared/index.ts';
import { dt } from './i18n.ts';
import type { Period, TrendUnit } from './periods.ts';

export type ReportView = 'all' | 'de_an_06';

export const DE_AN_06_CATEGORIES: readonly string[] = ['can_cuoc', 'vneid_l1', 'vneid_l2', 'vneid_docs'];
export const POLICE_SERVICES: ReadonlySet<string> = new Set(
  SERVICE_CATALOGUE.services.filter((s) => s.agency === 'police').map((s) => s.code),
);

/** A row counts in the Đề án 06 view when its category is one of the four or its service is police's. */
export function inView(row: TallyRow, view: ReportView): boolean {
  if (view === 'all') return true;
  const { category, service } = row.key;
  return (
    (!!category && DE_AN_06_CATEGORIES.includes(category)) || (!!service && POLICE_SERVICES.has(service))
  );
}

export interface Bar {
  key: string;
  label: string;
  value: number;
}

export interface Named {
  id: string;
  name: string;
}

export function hamletLabel(id: string | null | undefined, hamlets: readonly Named[]): string {
  if (!id) return dt.table.unknownHamlet;
  return hamlets.find((h) => h.id === id)?.name ?? id;
}

export function categoryLabel(code: string | null | undefined): string {
  return code ? labelOf(CATEGORIES, code as Category) : dt.table.unknownVolunteer;
}

const NONE = '';

function sumBy(
  rows: readonly TallyRow[],
  pick: (r: TallyRow) => string | null | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = pick(r) ?? NONE;
    out.set(k, (out.get(k) ?? 0) + r.count);
  }
  return out;
}

export interface Summary {
  count: number;
  /** Distinct citizens; in a filtered view only an upper bound (one person may appear in two rows). */
  citizens: number;
  citizensExact: boolean;
  byHamlet: Bar[];
  byCategory: Bar[];
  /** Rows: hamlets in the commune's order; columns: categories in catalogue order; only non-empty ones. */
  table: { hamlets: Bar[]; categories: Bar[]; cell: (hamlet: string, category: string) => number };
}

/**
 * Shapes an answer grouped by hamlet, category (and service). The whole view takes the server's
 * total as is; a filtered view sums its rows.
 */
export function summarise(
  rows: readonly TallyRow[],
  total: { count: number; citizens: number },
  view: ReportView,
  hamlets: readonly Named[],
): Summary {
  const kept = rows.filter((r) => inView(r, view));
  const hamletSums = sumBy(kept, (r) => r.key.hamlet);
  const categorySums = sumBy(kept, (r) => r.key.category);
  const cells = sumBy(kept, (r) => `${r.key.hamlet ?? NONE}|${r.key.category ?? NONE}`);
  const hamletOrder = [
    ...hamlets.map((h) => h.id),
    ...[...hamletSums.keys()].filter((k) => !hamlets.some((h) => h.id === k)),
  ];
  const byHamlet = hamletOrder
    .filter((id) => hamletSums.has(id))
    .map((id) => ({ key: id, label: hamletLabel(id || null, hamlets), value: hamletSums.get(id) ?? 0 }));
  const categoryOrder = [
    ...CATEGORIES.map((c) => c.code as string),
    ...[...categorySums.keys()].filter((k) => !CATEGORIES.some((c) => c.code === k)),
  ];
  const byCategory = categoryOrder
    .filter((c) => categorySums.has(c))
    .map((c) => ({ key: c, label: categoryLabel(c || null), value: categorySums.get(c) ?? 0 }));
  const whole = view === 'all';
  return {
    count: whole ? total.count : kept.reduce((n, r) => n + r.count, 0),
    citizens: whole ? total.citizens : kept.reduce((n, r) => n + r.citizens, 0),
    citizensExact: whole,
    byHamlet,
    byCategory,
    table: {
      hamlets: byHamlet,
      categories: byCategory,
      cell: (h, c) => cells.get(`${h}|${c}`) ?? 0,
    },
  };
}

/** The bucket key of a day for a trend unit, as the server names it (day, ISO week, month, quarter). */
export function bucketOf(day: string, unit: TrendUnit): string {
  if (unit === 'quarter') return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) + 2) / 3)}`;
  return unit === 'day' ? day : unit === 'week' ? isoWeek(day) : day.slice(0, 7);
}

function bucketLabel(key: string, unit: TrendUnit): string {
  if (unit === 'day') return `${key.slice(8, 10)}/${key.slice(5, 7)}`;
  if (unit === 'week') return `T${key.slice(-2)}`;
  if (unit === 'quarter') return `Q${key.slice(-1)}/${key.slice(0, 4)}`;
  return `${key.slice(5, 7)}/${key.slice(0, 4)}`;
}

/** Every bucket of the period in order, with the counts of the rows in view (zeros included). */
export function trendBars(
  rows: readonly TallyRow[],
  unit: TrendUnit,
  period: Period,
  view: ReportView,
): Bar[] {
  const sums = sumBy(
    rows.filter((r) => inView(r, view)),
    (r) => r.key[unit],
  );
  const keys: string[] = [];
  const start = Date.parse(`${period.from}T00:00:00Z`);
  const end = Date.parse(`${period.to}T00:00:00Z`);
  for (let t = start; t <= end; t += 86_400_000) {
    const k = bucketOf(new Date(t).toISOString().slice(0, 10), unit);
    if (keys.at(-1) !== k) keys.push(k);
  }
  return keys.map((k) => ({ key: k, label: bucketLabel(k, unit), value: sums.get(k) ?? 0 }));
}

export interface VolunteerCount {
  key: string;
  label: string;
  count: number;
  citizens: number;
}

/** Rows grouped by volunteer (and category, service) summed per volunteer in the view, most first. */
export function byVolunteer(
  rows: readonly TallyRow[],
  view: ReportView,
  names: readonly { volunteerId: string; displayName: string }[],
): VolunteerCount[] {
  const sums = new Map<string, { count: number; citizens: number }>();
  for (const r of rows.filter((row) => inView(row, view))) {
    const k = r.key.volunteer ?? NONE;
    const s = sums.get(k) ?? { count: 0, citizens: 0 };
    sums.set(k, { count: s.count + r.count, citizens: s.citizens + r.citizens });
  }
  return [...sums]
    .map(([k, s]) => ({
      key: k,
      label: names.find((n) => n.volunteerId === k)?.displayName ?? (k || dt.table.unknownVolunteer),
      ...s,
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'vi'));
}

export type ReconMark =
  | { kind: 'complete'; text: string }
  | { kind: 'missing'; missing: number; text: string }
  | { kind: 'no_report'; text: string }
  | { kind: 'mismatch'; text: string };

/**
 * "Đủ" when the server says complete; "Thiếu N" when the device held more (or had some waiting)
 * than the server has; "Chưa báo cáo" when no device reported the period.
 */
export function reconMark(row: ReconciliationRow): ReconMark {
  if (row.complete) return { kind: 'complete', text: dt.recon.complete };
  if (row.deviceCount === null) return { kind: 'no_report', text: dt.recon.noReport };
  const missing = Math.max(row.deviceCount - row.serverCount, row.pendingAtLastContact ?? 0, 0);
  if (missing > 0) return { kind: 'missing', missing, text: dt.recon.missing(formatNumberVi(missing)) };
  return { kind: 'mismatch', text: dt.recon.mismatch };
}

/** An ISO instant as `HH:mm dd/mm/yyyy` in the reader's time zone. */
export function formatInstantVi(at: string | null): string {
  if (!at) return dt.recon.never;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())} ${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`;
}
