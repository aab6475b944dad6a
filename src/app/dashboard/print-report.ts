// Pure shaping of the printed report from one ReportSummary: the administrative header's words,
// the title naming view, scope and period, and the rows of each section's table. Every figure is
// taken from the summary as it is, so the printout shows what the screen shows.
import {
  AGE_BANDS,
  COUNTED_DEFINITION_VI,
  SEXES,
  formatDayVi,
  formatNumberVi,
  percentOf,
  type AttendanceCell,
  type ReportSettings,
  type ReportSummary,
} from '../../shared/index.ts';
import { pt } from './print-i18n.ts';
import { categoryLabel } from './report.ts';

/** The place in "<place>, ngày …": the commune's own name, without "Xã", "Phường" or "Thị trấn". */
export function placeName(communeName: string): string {
  const name = communeName.trim();
  const bare = name.replace(/^(xã|phường|thị trấn|đặc khu)\s+/iu, '');
  return bare || name;
}

/** The issuing body: the admin's words, or "UBND" and the commune's name in capitals. */
export function issuerOf(settings: ReportSettings, communeName: string): string {
  return settings.issuer.trim() || pt.print.issuer(communeName.trim());
}

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "tháng 11/2026", "quý IV/2026", "9 tháng đầu năm 2026", "năm 2026", else "từ … đến …". */
export function periodPhrase(period: { from: string; to: string }): string {
  const [fy, fm, fd] = period.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = period.to.split('-').map(Number) as [number, number, number];
  const wholeMonths = fd === 1 && td === lastDayOfMonth(ty, tm) && fy === ty;
  if (wholeMonths) {
    const y = String(fy);
    if (fm === tm) return pt.print.month(String(fm).padStart(2, '0'), y);
    if (fm === 1 && tm === 12) return pt.print.year(y);
    if (fm === 1 && tm === 9) return pt.print.nineMonths(y);
    if ((fm - 1) % 3 === 0 && tm === fm + 2) return pt.print.quarter(pt.print.quarters[(fm - 1) / 3]!, y);
  }
  return pt.print.range(formatDayVi(period.from), formatDayVi(period.to));
}

/** The line under "BÁO CÁO": what, the Đề án 06 view when chosen, whose figures, which period. */
export function reportSubject(summary: ReportSummary): string {
  return [
    pt.print.subject,
    ...(summary.view === 'de_an_06' ? [pt.print.deAn06] : []),
    summary.scope.label,
    periodPhrase(summary.period),
  ].join(' — ');
}

/** The first sentence of the one written definition of what counts. */
export function shortDefinition(): string {
  const end = COUNTED_DEFINITION_VI.indexOf('. ');
  return end < 0 ? COUNTED_DEFINITION_VI : COUNTED_DEFINITION_VI.slice(0, end + 1);
}

/** A "Căn cứ …" line: the admin may or may not have typed the words "Căn cứ". */
export function basisLine(line: string): string {
  const text = line.trim();
  return /^căn cứ(?=\s|$)/iu.test(text) ? text : `${pt.print.basis} ${text}`;
}

/** "- Như trên;" … "- Lưu: VT." as a "Nơi nhận" list ends. */
export function recipientLines(lines: readonly string[]): string[] {
  return lines.map((l, i) => {
    const text = l.trim().replace(/[;.,]+$/u, '');
    return `- ${text}${i === lines.length - 1 ? '.' : ';'}`;
  });
}

/** The difference with its sign ("+12", "−3", "0") and its share of the base ("(+15,0 %)") if any. */
export function changeParts(current: number, base: number): { diff: string; share: string | null } {
  const diff = current - base;
  if (diff === 0) return { diff: '0', share: null };
  const sign = diff > 0 ? '+' : '−';
  const share = base > 0 ? `(${sign}${formatNumberVi((Math.abs(diff) / base) * 100, 1)} %)` : null;
  return { diff: `${sign}${formatNumberVi(Math.abs(diff))}`, share };
}

/** "+12 (+15,0 %)", "−3 (−10,0 %)", "0"; without a base to compare with, only the difference. */
export function changeText(current: number, base: number): string {
  const { diff, share } = changeParts(current, base);
  return share ? `${diff} ${share}` : diff;
}

/** A share of a whole with one decimal: "12,5 %". */
export function shareText(part: number, whole: number): string {
  return `${formatNumberVi(percentOf(part, whole), 1)} %`;
}

export interface HamletTable {
  columns: { code: string; label: string }[];
  rows: { id: string | null; label: string; cells: number[]; total: number }[];
  /** Per column: the category's counted records in the summary. */
  columnTotals: number[];
  /** The summary's total of counted records. */
  total: number;
}

/**
 * Rows: every hamlet of the commune in its order, then records without a hamlet or naming another;
 * columns: the categories with a record in the period, in catalogue order.
 */
export function hamletTable(summary: ReportSummary): HamletTable {
  const used = new Set(summary.hamletCategory.filter((c) => c.count > 0).map((c) => c.category));
  for (const c of summary.categories) if (c.count.current > 0) used.add(c.category);
  const order = summary.categories.map((c) => c.category);
  const codes = [...order.filter((c) => used.has(c)), ...[...used].filter((c) => !order.includes(c))];
  const known = new Set(summary.hamlets.map((h) => h.id));
  const extra = [
    ...new Set(summary.hamletCategory.map((c) => c.hamletId).filter((id) => id === null || !known.has(id))),
  ].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const rowIds: (string | null)[] = [...summary.hamlets.map((h) => h.id), ...extra];
  const cell = (h: string | null, c: string) =>
    summary.hamletCategory
      .filter((x) => x.hamletId === h && x.category === c)
      .reduce((n, x) => n + x.count, 0);
  return {
    columns: codes.map((code) => ({ code, label: categoryLabel(code) })),
    rows: rowIds.map((id) => {
      const cells = codes.map((c) => cell(id, c));
      return {
        id,
        label: id === null ? pt.table.noHamlet : (summary.hamlets.find((h) => h.id === id)?.name ?? id),
        cells,
        total: cells.reduce((n, x) => n + x, 0),
      };
    }),
    columnTotals: codes.map((c) => summary.categories.find((x) => x.category === c)?.count.current ?? 0),
    total: summary.totals.current.count,
  };
}

/** "01/10/2026–31/10/2026" */
export function rangeText(period: { from: string; to: string }): string {
  return pt.totals.periodRange(formatDayVi(period.from), formatDayVi(period.to));
}

export interface AttendanceGrid {
  /** The age bands, in the catalogue's order. */
  bands: { code: string; label: string }[];
  /** One row per sex: the cells by band and their total. */
  rows: { code: string; label: string; cells: number[]; total: number }[];
  /** Per band, both sexes; and everyone. */
  bandTotals: number[];
  total: number;
}

/** Attendance by sex (rows) × age band (columns), with totals both ways. */
export function attendanceGrid(attendance: Partial<Record<AttendanceCell, number>>): AttendanceGrid {
  const bands = AGE_BANDS.map((b) => ({ code: b.code, label: b.vi }));
  const rows = SEXES.map((s) => {
    const cells = AGE_BANDS.map((b) => attendance[`${s.code}:${b.code}`] ?? 0);
    return { code: s.code, label: s.vi, cells, total: cells.reduce((n, x) => n + x, 0) };
  });
  const bandTotals = bands.map((_, i) => rows.reduce((n, r) => n + (r.cells[i] ?? 0), 0));
  return { bands, rows, bandTotals, total: bandTotals.reduce((n, x) => n + x, 0) };
}
