// Exports of live records (docs/reporting.md, "Exports"): rows are read from the store in pages
// of EXPORT_PAGE by a keyset on (occurredOn, id) and written as they come, so a 500k-record export
// never holds more than one page in memory. CSV is UTF-8 with a BOM; XLSX uses exceljs's streaming
// writer, with the summary tables on their own sheets before the log. Every cell a spreadsheet
// could read as a formula is neutralised. No citizenKey leaves in an export: rows of one citizen
// share a pseudonym made with a key drawn for that export alone.
import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import { NO_VI, YES_VI, choiceLabelVi, communeClock, serviceNameVi } from '../../shared/record-labels.ts';
import {
  AGE_BANDS,
  ATTENDANCE_CELLS,
  CATEGORIES,
  OUTCOMES,
  SEXES,
  labelOf,
  type AttendanceCell,
  REVIEW_STATE_LABELS_VI,
  formatDayVi,
  formatNumberVi,
  isCalendarDay,
  type ReviewState,
  type TallyResponse,
  type TallyRow,
} from '../../shared/index.ts';
import type { ExportRow, ReportFilter, SessionReportRow, Store } from '../store/store.ts';
import { attendanceOf, sessionCounts } from './sessions.ts';

export const EXPORT_PAGE = 1000;

/** What an export needs besides the rows: names for ids, the pseudonyms, and what it covers. */
export interface ExportNames {
  /** Every hamlet of the commune (inactive ones too: old records still name them). */
  hamlets: Map<string, string>;
  /** The commune's hamlet ids in their own order, for the summary tables. */
  hamletOrder: string[];
  teams: Map<string, string>;
  people: Map<string, string>;
  /** The citizen's pseudonym in this export (exportPseudonyms), '' for a record without one. */
  citizen: (citizenKey: unknown) => string;
  communeName: string;
  /** "Toàn xã", the team's name, or the volunteer's own records. */
  scopeLabel: string;
  /** When the export was made: the "as of" of its figures. */
  asOf: Date;
  /** Session topic code → label, retired ones included (the sessions' sheet and CSV). */
  topics?: Map<string, string>;
}

/** Header of the pseudonym column: the code only groups rows within this one file. */
export const CITIZEN_PSEUDONYM_HEADER = 'Mã người dân (chỉ trong tệp này)';

/**
 * Pseudonyms for one export: HMAC-SHA256 under a key drawn now and never kept, cut to 12 hex digits
 * (48 bits: no clash among a commune's citizens in practice), after "ND-" so that no spreadsheet
 * takes one for a number (`123456e12345` would become 1.2E+17). Equal for one citizen within the
 * export, unrelated between two exports, and no way back to the key or the ID number.
 */
export function exportPseudonyms(): (citizenKey: unknown) => string {
  const key = randomBytes(32);
  return (citizenKey) =>
    typeof citizenKey === 'string' && citizenKey !== ''
      ? `ND-${createHmac('sha256', key).update(citizenKey, 'utf8').digest('hex').slice(0, 12)}`
      : '';
}

/** How a column's value is typed in the XLSX and written in the CSV. */
type Kind = 'text' | 'day' | 'timestamp' | 'number' | 'boolean';
type Value = string | number | boolean | null;

interface Column {
  header: string;
  kind: Kind;
  /** Excel column width, in characters. */
  width: number;
  value: (r: ExportRow, n: ExportNames) => Value;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const label = (field: string) => (r: ExportRow) => str(choiceLabelVi(field, r.data[field]));

/** The log's columns, in order: Vietnamese headers, labels for codes, typed values. */
const COLUMNS: Column[] = [
  { header: 'Mã bản ghi', kind: 'text', width: 38, value: (r) => r.id },
  { header: 'Ngày hỗ trợ', kind: 'day', width: 12, value: (r) => r.occurredOn },
  {
    header: 'Thôn/ấp',
    kind: 'text',
    width: 18,
    value: (r, n) => {
      const id = str(r.data.hamletId);
      return id === null ? null : (n.hamlets.get(id) ?? id);
    },
  },
  { header: 'Loại hỗ trợ', kind: 'text', width: 30, value: label('category') },
  { header: 'Kết quả', kind: 'text', width: 24, value: label('outcome') },
  { header: 'Lý do không thành công', kind: 'text', width: 24, value: label('failReason') },
  { header: 'Mã dịch vụ công', kind: 'text', width: 10, value: (r) => str(r.data.serviceCode) },
  { header: 'Dịch vụ công', kind: 'text', width: 36, value: (r) => str(serviceNameVi(r.data.serviceCode)) },
  {
    header: 'Thanh toán trực tuyến',
    kind: 'boolean',
    width: 12,
    value: (r) => (typeof r.data.paidOnline === 'boolean' ? r.data.paidOnline : null),
  },
  { header: 'Nơi hỗ trợ', kind: 'text', width: 18, value: label('place') },
  { header: 'Nhóm tuổi', kind: 'text', width: 13, value: label('ageBand') },
  { header: 'Giới tính', kind: 'text', width: 10, value: label('sex') },
  { header: 'Ngày hẹn theo dõi', kind: 'day', width: 12, value: (r) => str(r.data.followUpOn) },
  { header: 'Ghi chú', kind: 'text', width: 40, value: (r) => str(r.data.note) },
  {
    header: CITIZEN_PSEUDONYM_HEADER,
    kind: 'text',
    width: 17,
    value: (r, n) => str(n.citizen(r.data.citizenKey)),
  },
  {
    header: 'Tình nguyện viên',
    kind: 'text',
    width: 24,
    value: (r, n) => n.people.get(r.volunteerId) ?? r.volunteerId,
  },
  { header: 'Tổ', kind: 'text', width: 16, value: (r, n) => n.teams.get(r.teamId) ?? r.teamId },
  {
    header: 'Trạng thái duyệt',
    kind: 'text',
    width: 14,
    value: (r) =>
      r.reviewState ? (REVIEW_STATE_LABELS_VI[r.reviewState as ReviewState] ?? r.reviewState) : null,
  },
  { header: 'Nhận xét duyệt', kind: 'text', width: 30, value: (r) => str(r.reviewComment) },
  { header: 'Phiên bản', kind: 'number', width: 10, value: (r) => r.version },
  { header: 'Tạo trên máy chủ', kind: 'timestamp', width: 17, value: (r) => r.createdAt },
  { header: 'Sửa trên máy chủ', kind: 'timestamp', width: 17, value: (r) => r.updatedAt },
];

export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** A cell as text, with a leading `'` if a spreadsheet could take it for a formula. */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A value as CSV text. Days stay ISO (`2026-01-05`): LibreOffice Calc and Excel read them as dates
 * in any language, where `05/01/2026` becomes 1 May in an English one. Times are
 * `2026-01-05 14:03:00` (commune time), a date-time for Excel and for Calc with "detect special
 * numbers"; Calc's default leaves it as that text, still in sortable order. Yes/no are "Có"/"Không".
 */
function csvText(kind: Kind, v: Value): string {
  if (v === null) return '';
  if (kind === 'boolean') return v ? YES_VI : NO_VI;
  if (kind === 'timestamp') {
    const c = communeClock(v);
    return c ? `${c.day} ${c.time}` : safeCell(v);
  }
  if (kind === 'number') return String(v);
  if (kind === 'day' && typeof v === 'string' && isCalendarDay(v)) return v;
  return safeCell(v);
}

/** The log row's cells as the CSV writes them (before quoting). */
export function exportCells(r: ExportRow, names: ExportNames): string[] {
  return COLUMNS.map((c) => csvText(c.kind, c.value(r, names)));
}

/** Every live record in the filter, page by page. */
export async function* exportRows(store: Store, filter: ReportFilter): AsyncGenerator<ExportRow> {
  let after: { occurredOn: string; id: string } | null = null;
  for (;;) {
    const page = await store.exportPage(filter, after, EXPORT_PAGE);
    for (const r of page) yield r;
    const last = page.at(-1);
    if (!last || page.length < EXPORT_PAGE) return;
    after = { occurredOn: last.occurredOn, id: last.id };
  }
}

/** The CSV as a stream of chunks (one per page): BOM, header row, CRLF line ends. */
export function csvStream(store: Store, filter: ReportFilter, names: ExportNames): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield `\uFEFF${EXPORT_HEADERS.map(csvField).join(',')}\r\n`;
    let buf: string[] = [];
    for await (const r of exportRows(store, filter)) {
      buf.push(exportCells(r, names).map(csvField).join(','));
      if (buf.length >= EXPORT_PAGE) {
        yield `${buf.join('\r\n')}\r\n`;
        buf = [];
      }
    }
    if (buf.length) yield `${buf.join('\r\n')}\r\n`;
  }
  return Readable.from(chunks());
}

// ── Group sessions (docs/reporting.md, "Group sessions"): one row per counted session ──

/** "Nữ, Từ 60 tuổi": a cell of the attendance grid in words. */
export function attendanceCellVi(cell: AttendanceCell): string {
  const [sex, band] = cell.split(':') as [string, string];
  return `${labelOf(SEXES, sex as never)}, ${labelOf(AGE_BANDS, band as never)}`;
}

interface SessionColumn {
  header: string;
  kind: Kind;
  width: number;
  value: (r: SessionReportRow, n: ExportNames) => Value;
}

/** The sessions' columns: no citizen data exists in a session, only counts. */
const SESSION_COLUMNS: SessionColumn[] = [
  { header: 'Ngày tổ chức', kind: 'day', width: 12, value: (r) => r.heldOn },
  { header: 'Thôn/ấp', kind: 'text', width: 18, value: (r, n) => n.hamlets.get(r.hamletId) ?? r.hamletId },
  { header: 'Địa điểm', kind: 'text', width: 28, value: (r) => str(r.data.place) },
  { header: 'Chủ đề', kind: 'text', width: 30, value: (r, n) => n.topics?.get(r.topic) ?? r.topic },
  ...ATTENDANCE_CELLS.map((cell): SessionColumn => ({
    header: attendanceCellVi(cell),
    kind: 'number',
    width: 11,
    value: (r) => attendanceOf(r)[cell] ?? 0,
  })),
  { header: 'Tổng số người tham dự', kind: 'number', width: 12, value: (r) => r.attendees },
  { header: 'Tổ', kind: 'text', width: 16, value: (r, n) => n.teams.get(r.teamId) ?? r.teamId },
  {
    header: 'Trạng thái duyệt',
    kind: 'text',
    width: 14,
    value: (r) =>
      r.reviewState ? (REVIEW_STATE_LABELS_VI[r.reviewState as ReviewState] ?? r.reviewState) : null,
  },
];

export const SESSION_EXPORT_HEADERS = SESSION_COLUMNS.map((c) => c.header);
/** The name of the sessions' sheet. */
export const SESSION_SHEET = 'Buổi sinh hoạt nhóm';

/** The sessions an export holds: the filter's scope and period, counted unless it names a review state. */
export async function exportSessions(store: Store, filter: ReportFilter): Promise<SessionReportRow[]> {
  if (!filter.communeCode) return [];
  const rows = await store.sessionReportRows({
    scope: filter.scope,
    communeCode: filter.communeCode,
    from: filter.from,
    to: filter.to,
  });
  return rows.filter((r) => sessionCounts(r, filter.reviewState));
}

/** The sessions' CSV: the same conventions as the log's (BOM, CRLF, ISO days, formulas neutralised). */
export function sessionsCsvStream(store: Store, filter: ReportFilter, names: ExportNames): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield `\uFEFF${SESSION_EXPORT_HEADERS.map(csvField).join(',')}\r\n`;
    const rows = await exportSessions(store, filter);
    const lines = rows.map((r) =>
      SESSION_COLUMNS.map((c) => csvField(csvText(c.kind, c.value(r, names)))).join(','),
    );
    if (lines.length) yield `${lines.join('\r\n')}\r\n`;
  }
  return Readable.from(chunks());
}

// ── XLSX ──────────────────────────────────────────────────────────────────────────────────────

const DAY_FORMAT = 'dd/mm/yyyy';
const TIME_FORMAT = 'dd/mm/yyyy hh:mm';
const COUNT_FORMAT = '#,##0';
const SHARE_FORMAT = '0.0%';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: HEADER_FILL,
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  border: { bottom: { style: 'thin', color: { argb: 'FF7F7F7F' } } },
};
const TOTAL_FONT: Partial<ExcelJS.Font> = { bold: true };

/** 'YYYY-MM-DD' as the Excel date of that day (exceljs writes a Date's UTC day). */
function excelDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** A server timestamp as an Excel date-time showing the commune's wall clock (Excel has no zones). */
function excelTime(iso: string): Date | null {
  const c = communeClock(iso);
  return c ? new Date(`${c.day}T${c.time}Z`) : null;
}

function xlsxValue(kind: Kind, v: Value): ExcelJS.CellValue {
  if (v === null) return null;
  if (kind === 'day' && typeof v === 'string' && isCalendarDay(v)) return excelDay(v);
  if (kind === 'timestamp' && typeof v === 'string') return excelTime(v) ?? safeCell(v);
  if (kind === 'number' || kind === 'boolean') return v;
  return safeCell(v);
}

function numFmtOf(kind: Kind): string | undefined {
  return kind === 'day' ? DAY_FORMAT : kind === 'timestamp' ? TIME_FORMAT : undefined;
}

/**
 * The lines above a summary table: title, period, scope, as-of, the records refused in review that
 * the table leaves out (as the dashboard and the printout say it), and the review filter if any.
 */
export function summaryHeading(
  title: string,
  filter: ReportFilter,
  names: ExportNames,
  rejected = 0,
): string[] {
  const at = communeClock(names.asOf.toISOString());
  const lines = [
    title,
    `Kỳ báo cáo: từ ${formatDayVi(filter.from)} đến ${formatDayVi(filter.to)}`,
    `Phạm vi: ${names.scopeLabel}${names.communeName ? ` (${names.communeName})` : ''}`,
    at ? `Số liệu tính đến: ${formatDayVi(at.day)} lúc ${at.time.slice(0, 5)}` : '',
  ];
  if (!filter.reviewState && rejected > 0)
    lines.push(
      `Không tính vào tổng: ${formatNumberVi(rejected)} bản ghi bị từ chối khi duyệt (“${REVIEW_STATE_LABELS_VI.rejected}”)`,
    );
  if (filter.reviewState)
    lines.push(
      `Trạng thái duyệt: ${
        filter.reviewState === 'none'
          ? 'Chưa duyệt'
          : (REVIEW_STATE_LABELS_VI[filter.reviewState as ReviewState] ?? filter.reviewState)
      }`,
    );
  return lines;
}

interface SummaryColumn {
  header: string;
  width: number;
  numFmt?: string;
}

interface SummaryTable {
  sheet: string;
  title: string;
  columns: SummaryColumn[];
  rows: ExcelJS.CellValue[][];
  /** The "Tổng" row, kept out of the autofilter range so sorting leaves it at the bottom. */
  total: ExcelJS.CellValue[];
  /** Records refused in review in the table's filter, left out of its figures. */
  rejected: number;
}

function writeSummary(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  table: SummaryTable,
  filter: ReportFilter,
  names: ExportNames,
): void {
  const heading = summaryHeading(table.title, filter, names, table.rejected);
  const headerRow = heading.length + 2;
  const sheet = workbook.addWorksheet(table.sheet, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: headerRow }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = table.columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  heading.forEach((line, i) => {
    const row = sheet.getRow(i + 1);
    row.getCell(1).value = line;
    row.getCell(1).font = i === 0 ? { bold: true, size: 14 } : { italic: true };
    row.commit();
  });
  const header = sheet.getRow(headerRow);
  table.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = HEADER_STYLE;
  });
  header.commit();
  for (const values of table.rows) sheet.addRow(values).commit();
  const total = sheet.addRow(table.total);
  total.eachCell((cell) => (cell.font = TOTAL_FONT));
  total.commit();
  sheet.autoFilter = {
    from: { row: headerRow, column: 1 },
    to: { row: headerRow + Math.max(table.rows.length, 1), column: table.columns.length },
  };
  sheet.commit();
}

const count = (t: TallyRow | undefined): number => t?.count ?? 0;

/** The summary tables, from the same tallies the dashboard reads (same scope, period and filter). */
export async function summaryTables(
  store: Store,
  filter: ReportFilter,
  names: ExportNames,
): Promise<SummaryTable[]> {
  const tally = (
    groupBy: ('hamlet' | 'category' | 'outcome' | 'team' | 'volunteer')[],
  ): Promise<TallyResponse> => store.tally({ ...filter, groupBy });
  const [byCell, byHamlet, byOutcome, byPerson] = [
    await tally(['hamlet', 'category']),
    await tally(['hamlet']),
    await tally(['outcome']),
    await tally(['team', 'volunteer']),
  ];
  const hamletName = (id: string | null | undefined): string =>
    id ? (names.hamlets.get(id) ?? id) : 'Chưa ghi thôn/ấp';

  // Hamlet × category: the commune's hamlets in their order, then any other hamlet a record names.
  const hamletIds: (string | null)[] = [...names.hamletOrder];
  for (const r of byHamlet.rows)
    if (!hamletIds.includes(r.key.hamlet ?? null)) hamletIds.push(r.key.hamlet ?? null);
  const cell = new Map(byCell.rows.map((r) => [`${r.key.hamlet ?? ''}|${r.key.category ?? ''}`, r]));
  const perHamlet = new Map(byHamlet.rows.map((r) => [r.key.hamlet ?? '', r]));
  const countCol = (header: string): SummaryColumn => ({ header, width: 12, numFmt: COUNT_FORMAT });
  const perCategory = CATEGORIES.map((c) => byCell.rows.filter((r) => r.key.category === c.code));
  const hamletTable: SummaryTable = {
    rejected: byCell.rejected,
    sheet: 'Theo thôn và loại',
    title: 'Số lượt hỗ trợ theo thôn/ấp và loại hỗ trợ',
    columns: [
      { header: 'Thôn/ấp', width: 22 },
      ...CATEGORIES.map((c) => countCol(c.vi)),
      countCol('Tổng số lượt'),
      countCol('Số người dân (không trùng)'),
    ],
    rows: hamletIds.map((h) => [
      hamletName(h),
      ...CATEGORIES.map((c) => count(cell.get(`${h ?? ''}|${c.code}`))),
      count(perHamlet.get(h ?? '')),
      perHamlet.get(h ?? '')?.citizens ?? 0,
    ]),
    total: [
      'Tổng',
      ...perCategory.map((rows) => rows.reduce((s, r) => s + r.count, 0)),
      byCell.total.count,
      byCell.total.citizens,
    ],
  };

  const outcomeCodes: (string | null)[] = OUTCOMES.map((o) => o.code);
  for (const r of byOutcome.rows)
    if (!outcomeCodes.includes(r.key.outcome ?? null)) outcomeCodes.push(r.key.outcome ?? null);
  const perOutcome = new Map(byOutcome.rows.map((r) => [r.key.outcome ?? '', r]));
  const share = (n: number): number => (byOutcome.total.count > 0 ? n / byOutcome.total.count : 0);
  const outcomeTable: SummaryTable = {
    rejected: byOutcome.rejected,
    sheet: 'Theo kết quả',
    title: 'Số lượt hỗ trợ theo kết quả',
    columns: [
      { header: 'Kết quả', width: 40 },
      countCol('Số lượt'),
      { header: 'Tỷ lệ', width: 10, numFmt: SHARE_FORMAT },
      countCol('Số người dân (không trùng)'),
    ],
    rows: outcomeCodes.map((o) => {
      const r = perOutcome.get(o ?? '');
      return [
        o ? choiceLabelVi('outcome', o) : 'Chưa ghi kết quả',
        count(r),
        share(count(r)),
        r?.citizens ?? 0,
      ];
    }),
    total: ['Tổng', byOutcome.total.count, share(byOutcome.total.count), byOutcome.total.citizens],
  };

  const teamName = (id: string | null | undefined): string =>
    id ? (names.teams.get(id) ?? id) : 'Không thuộc tổ';
  const personName = (id: string | null | undefined): string =>
    id ? (names.people.get(id) ?? id) : 'Không rõ';
  const people = [...byPerson.rows].sort(
    (a, b) =>
      teamName(a.key.team).localeCompare(teamName(b.key.team), 'vi') ||
      b.count - a.count ||
      personName(a.key.volunteer).localeCompare(personName(b.key.volunteer), 'vi'),
  );
  const personTable: SummaryTable = {
    rejected: byPerson.rejected,
    sheet: 'Theo tổ và TNV',
    title: 'Số lượt hỗ trợ theo tổ và tình nguyện viên',
    columns: [
      { header: 'Tổ', width: 20 },
      { header: 'Tình nguyện viên', width: 28 },
      countCol('Số lượt'),
      countCol('Số người dân (không trùng)'),
    ],
    rows: people.map((r) => [teamName(r.key.team), personName(r.key.volunteer), r.count, r.citizens]),
    total: ['Tổng', null, byPerson.total.count, byPerson.total.citizens],
  };
  return [hamletTable, outcomeTable, personTable];
}

/** The sessions' sheet, after the log: one row per session, then a "Tổng" row outside the autofilter. */
function writeSessionSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  rows: SessionReportRow[],
  names: ExportNames,
): void {
  const sheet = workbook.addWorksheet(SESSION_SHEET, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = SESSION_COLUMNS.map((c) => ({
    width: c.width,
    style: c.kind === 'day' ? { numFmt: DAY_FORMAT } : c.kind === 'number' ? { numFmt: COUNT_FORMAT } : {},
  }));
  const header = sheet.getRow(1);
  SESSION_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = HEADER_STYLE;
  });
  header.commit();
  for (const r of rows)
    sheet.addRow(SESSION_COLUMNS.map((c) => xlsxValue(c.kind, c.value(r, names)))).commit();
  const total = sheet.addRow(
    SESSION_COLUMNS.map((c, i) =>
      i === 0
        ? 'Tổng'
        : c.kind === 'number'
          ? rows.reduce((sum, r) => sum + Number(c.value(r, names) ?? 0), 0)
          : null,
    ),
  );
  total.eachCell((cell) => (cell.font = TOTAL_FONT));
  total.commit();
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(rows.length, 1) + 1, column: SESSION_COLUMNS.length },
  };
  sheet.commit();
}

/** A writable stream as seen from outside: the zip's own streams are `readable-stream`'s, not Node's. */
type Backlog = EventEmitter & { _writableState: { needDrain: boolean } };

/**
 * The buffer between a sheet and the zip: exceljs's sheet stream writes into it without ever
 * waiting, so without a look at it the whole log would pile up there before the first byte left.
 */
function sheetBacklog(sheet: ExcelJS.Worksheet): Backlog | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = pipes?.[0];
  return first instanceof EventEmitter && typeof (first as Partial<Backlog>)._writableState === 'object'
    ? (first as Backlog)
    : undefined;
}

/** Waits until the zip has taken what the sheet wrote and the reader has taken what the zip made. */
async function caughtUp(sheet: ExcelJS.Worksheet, out: PassThrough, signal: AbortSignal): Promise<void> {
  const backlog = sheetBacklog(sheet);
  while (backlog?._writableState.needDrain) await once(backlog, 'drain', { signal });
  if (out.writableNeedDrain) await once(out, 'drain', { signal });
}

/** The name of the log's sheet. */
export const LOG_SHEET = 'Nhật ký hỗ trợ';

/**
 * The XLSX through exceljs's streaming writer: the summary sheets (small, written whole), then the
 * log, whose rows are committed as they are read; after each page the writer waits for the zip and
 * the reader to catch up, so memory holds about one page whatever the export's size.
 */
export function xlsxStream(store: Store, filter: ReportFilter, names: ExportNames): PassThrough {
  const out = new PassThrough();
  // A reader that goes away ends the wait for it (and so the export).
  const stop = new AbortController();
  out.once('close', () => stop.abort());
  void (async () => {
    // Loaded on the first XLSX export, so a server that never exports does not hold exceljs.
    const excel = (await import('exceljs')).default;
    const workbook = new excel.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      useStyles: true,
    });
    workbook.creator = 'Sổ tay Tổ CNS';
    workbook.created = names.asOf;
    for (const table of await summaryTables(store, filter, names))
      writeSummary(workbook, table, filter, names);
    const sheet = workbook.addWorksheet(LOG_SHEET, {
      views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    sheet.columns = COLUMNS.map((c) => {
      const numFmt = numFmtOf(c.kind);
      return { width: c.width, style: numFmt ? { numFmt } : {} };
    });
    const header = sheet.getRow(1);
    COLUMNS.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.style = HEADER_STYLE;
    });
    header.commit();
    let n = 0;
    for await (const r of exportRows(store, filter)) {
      sheet.addRow(COLUMNS.map((c) => xlsxValue(c.kind, c.value(r, names)))).commit();
      if (++n % EXPORT_PAGE === 0) await caughtUp(sheet, out, stop.signal);
    }
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: Math.max(n, 1) + 1, column: COLUMNS.length },
    };
    sheet.commit();
    writeSessionSheet(workbook, await exportSessions(store, filter), names);
    await workbook.commit();
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}
