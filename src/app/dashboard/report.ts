// Pure shaping for the dashboard: the report answer's figures as rows, bars and tables (hamlet ×
// category, services by agency, outcomes, teams, volunteers), trend buckets over the period, the
// counts by volunteer behind a drill-down, comparisons and reconciliation marks.
import {
  CATEGORIES,
  FAIL_REASONS,
  OUTCOMES,
  formatDayVi,
  formatNumberVi,
  SESSION_TARGET_LABELS_VI,
  isSessionTarget,
  isoWeek,
  labelOf,
  type Agency,
  type Category,
  type Compared,
  type FailReason,
  type Outcome,
  type ReconciliationRow,
  type ReportServiceRow,
  type ReportSummary,
  type ReportTarget,
  type ReportView,
  type TallyRow,
} from '../../shared/index.ts';
import { dt } from './i18n.ts';
import type { Period, TrendUnit } from '../../shared/periods.ts';

export type { ReportView };
export { DE_AN_06_CATEGORIES } from '../../shared/index.ts';

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
  // A target may count group sessions or their attendees instead of records.
  if (code && isSessionTarget(code)) return SESSION_TARGET_LABELS_VI[code];
  return code ? labelOf(CATEGORIES, code as Category) : dt.table.unknownVolunteer;
}

export function outcomeLabel(code: string): string {
  return labelOf(OUTCOMES, code as Outcome);
}

export function failReasonLabel(code: string): string {
  return labelOf(FAIL_REASONS, code as FailReason);
}

const NONE = '';

/** One cell of a hamlet × category table (hamletId null: no hamlet). */
export interface Cell {
  hamletId: string | null;
  category: string | null;
  count: number;
}

export interface CrossTable {
  /** Hamlets in the commune's order, then any other hamlet, then "no hamlet"; non-empty ones only. */
  hamlets: Bar[];
  /** Categories in catalogue order, non-empty ones only; `value` is the column's sum. */
  categories: Bar[];
  cell: (hamlet: string, category: string) => number;
  /** The sum of every cell. */
  total: number;
}

/** The hamlet × category table of a list of cells, with its row, column and grand sums. */
export function crossTable(cells: readonly Cell[], hamlets: readonly Named[]): CrossTable {
  const byHamlet = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const byCell = new Map<string, number>();
  let total = 0;
  for (const c of cells) {
    const h = c.hamletId ?? NONE;
    const k = c.category ?? NONE;
    byHamlet.set(h, (byHamlet.get(h) ?? 0) + c.count);
    byCategory.set(k, (byCategory.get(k) ?? 0) + c.count);
    byCell.set(`${h}|${k}`, (byCell.get(`${h}|${k}`) ?? 0) + c.count);
    total += c.count;
  }
  const hamletOrder = [
    ...hamlets.map((h) => h.id),
    ...[...byHamlet.keys()].filter((k) => k !== NONE && !hamlets.some((h) => h.id === k)),
    NONE,
  ];
  const categoryOrder = [
    ...CATEGORIES.map((c) => c.code as string),
    ...[...byCategory.keys()].filter((k) => !CATEGORIES.some((c) => c.code === k)),
  ];
  return {
    hamlets: hamletOrder
      .filter((id) => (byHamlet.get(id) ?? 0) > 0)
      .map((id) => ({ key: id, label: hamletLabel(id || null, hamlets), value: byHamlet.get(id) ?? 0 })),
    categories: categoryOrder
      .filter((c) => (byCategory.get(c) ?? 0) > 0)
      .map((c) => ({ key: c, label: categoryLabel(c || null), value: byCategory.get(c) ?? 0 })),
    cell: (h, c) => byCell.get(`${h}|${c}`) ?? 0,
    total,
  };
}

/** Cells of a tally answer grouped by hamlet and category. */
export function tallyCells(rows: readonly TallyRow[]): Cell[] {
  return rows.map((r) => ({
    hamletId: r.key.hamlet ?? null,
    category: r.key.category ?? null,
    count: r.count,
  }));
}

/** The report's categories with records in the period, as bars in catalogue order. */
export function categoryBars(summary: ReportSummary): Bar[] {
  return summary.categories
    .filter((c) => c.count.current > 0)
    .map((c) => ({ key: c.category, label: categoryLabel(c.category), value: c.count.current }));
}

/** "+12", "−3" or "0": the change from `base` to `current`. */
export function formatChange(current: number, base: number): string {
  const d = current - base;
  if (d === 0) return '0';
  return d > 0 ? `+${formatNumberVi(d)}` : `\u2212${formatNumberVi(-d)}`;
}

/** "01/10–31/10/2026", or with both years when the period spans two. */
export function formatRangeVi(p: Period): string {
  const from = formatDayVi(p.from);
  const to = formatDayVi(p.to);
  if (p.from === p.to) return to;
  return p.from.slice(0, 4) === p.to.slice(0, 4) ? `${from.slice(0, 5)}–${to}` : `${from}–${to}`;
}

export interface ServiceGroup {
  agency: Agency;
  label: string;
  rows: ReportServiceRow[];
  count: Compared;
  paidOnline: number;
}

const AGENCIES: readonly Agency[] = ['police', 'commune', 'other'];

/**
 * The services of the catalogue grouped by agency (Công an, UBND xã, Khác), with each group's sums;
 * the screen names a group briefly, the printout in full (`labels`).
 */
export function serviceGroups(
  summary: ReportSummary,
  labels: Record<Agency, string> = dt.services.agency,
): ServiceGroup[] {
  return AGENCIES.map((agency) => {
    const rows = summary.services.filter((s) => s.agency === agency);
    const sum = (pick: (s: ReportServiceRow) => number) => rows.reduce((n, s) => n + pick(s), 0);
    return {
      agency,
      label: labels[agency],
      rows,
      count: {
        current: sum((s) => s.count.current),
        previous: sum((s) => s.count.previous),
        lastYear: sum((s) => s.count.lastYear),
      },
      paidOnline: sum((s) => s.paidOnline),
    };
  }).filter((g) => g.rows.length > 0);
}

/** A target's name on screen and on paper: its own label, else its category (and outcome). */
export function targetName(t: ReportTarget): string {
  if (t.label) return t.label;
  const category = categoryLabel(t.category);
  return t.outcome ? `${category} (${outcomeLabel(t.outcome)})` : category;
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

/** Every bucket of the period in order, with the rows' counts (zeros included). */
export function trendBars(rows: readonly TallyRow[], unit: TrendUnit, period: Period): Bar[] {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const k = r.key[unit] ?? NONE;
    sums.set(k, (sums.get(k) ?? 0) + r.count);
  }
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

/** A tally grouped by volunteer as named rows, most first (names from the report or reconciliation). */
export function byVolunteer(
  rows: readonly TallyRow[],
  names: readonly { volunteerId: string; displayName: string }[],
): VolunteerCount[] {
  return rows
    .map((r) => {
      const k = r.key.volunteer ?? NONE;
      const label = names.find((n) => n.volunteerId === k)?.displayName ?? (k || dt.table.unknownVolunteer);
      return { key: k, label, count: r.count, citizens: r.citizens };
    })
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
