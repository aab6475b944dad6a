// Exports of live records (docs/reporting.md, "Exports"): rows are read from the store in pages
// of EXPORT_PAGE by a keyset on (occurredOn, id) and written as they come, so a 500k-record export
// never holds more than one page in memory. CSV is UTF-8 with a BOM; XLSX uses exceljs's streaming
// writer. Every cell a spreadsheet could read as a formula is neutralised. No citizenKey leaves in
// an export: rows of one citizen share a pseudonym made with a key drawn for that export alone.
import { createHmac, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  CATEGORIES,
  OUTCOMES,
  REVIEW_STATE_LABELS_VI,
  fieldLabelVi,
  type ReviewState,
} from '../../shared/index.ts';
import type { ExportRow, ReportFilter, Store } from '../store/store.ts';

export const EXPORT_PAGE = 1000;

export interface ExportNames {
  hamlets: Map<string, string>;
  people: Map<string, string>;
  /** The citizen's pseudonym in this export (exportPseudonyms), '' for a record without one. */
  citizen: (citizenKey: unknown) => string;
}

/** Header of the pseudonym column: the code only groups rows within this one file. */
export const CITIZEN_PSEUDONYM_HEADER = 'Mã người dân (chỉ trong tệp này)';

/**
 * Pseudonyms for one export: HMAC-SHA256 under a key drawn now and never kept, cut to 12 hex digits
 * (48 bits: no clash among a commune's citizens in practice). Equal for one citizen within the
 * export, unrelated between two exports, and no way back to the key or the ID number.
 */
export function exportPseudonyms(): (citizenKey: unknown) => string {
  const key = randomBytes(32);
  return (citizenKey) =>
    typeof citizenKey === 'string' && citizenKey !== ''
      ? createHmac('sha256', key).update(citizenKey, 'utf8').digest('hex').slice(0, 12)
      : '';
}

const CATEGORY_VI = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.vi]));
const OUTCOME_VI = new Map<string, string>(OUTCOMES.map((o) => [o.code, o.vi]));

/** [header, value] per column; headers are Vietnamese with the field code in brackets. */
const COLUMNS: { header: string; value: (r: ExportRow, n: ExportNames) => unknown }[] = [
  { header: 'Mã bản ghi (id)', value: (r) => r.id },
  { header: `${fieldLabelVi('occurredOn')} (occurredOn)`, value: (r) => r.occurredOn },
  { header: `${fieldLabelVi('hamletId')} (hamletId)`, value: (r) => r.data.hamletId },
  { header: 'Tên thôn/ấp', value: (r, n) => n.hamlets.get(String(r.data.hamletId)) ?? '' },
  { header: `${fieldLabelVi('category')} (category)`, value: (r) => r.data.category },
  { header: 'Tên loại hỗ trợ', value: (r) => CATEGORY_VI.get(String(r.data.category)) ?? '' },
  { header: `${fieldLabelVi('outcome')} (outcome)`, value: (r) => r.data.outcome },
  { header: 'Tên kết quả', value: (r) => OUTCOME_VI.get(String(r.data.outcome)) ?? '' },
  { header: `${fieldLabelVi('serviceCode')} (serviceCode)`, value: (r) => r.data.serviceCode },
  { header: `${fieldLabelVi('failReason')} (failReason)`, value: (r) => r.data.failReason },
  { header: `${fieldLabelVi('place')} (place)`, value: (r) => r.data.place },
  { header: `${fieldLabelVi('paidOnline')} (paidOnline)`, value: (r) => r.data.paidOnline },
  { header: `${fieldLabelVi('ageBand')} (ageBand)`, value: (r) => r.data.ageBand },
  { header: `${fieldLabelVi('sex')} (sex)`, value: (r) => r.data.sex },
  { header: `${fieldLabelVi('followUpOn')} (followUpOn)`, value: (r) => r.data.followUpOn },
  { header: `${fieldLabelVi('note')} (note)`, value: (r) => r.data.note },
  { header: CITIZEN_PSEUDONYM_HEADER, value: (r, n) => n.citizen(r.data.citizenKey) },
  { header: `${fieldLabelVi('volunteerId')} (volunteerId)`, value: (r) => r.volunteerId },
  { header: 'Tên tình nguyện viên', value: (r, n) => n.people.get(r.volunteerId) ?? '' },
  { header: 'Tổ (teamId)', value: (r) => r.teamId },
  { header: 'Trạng thái duyệt (reviewState)', value: (r) => r.reviewState },
  {
    header: 'Tên trạng thái duyệt',
    value: (r) => (r.reviewState ? (REVIEW_STATE_LABELS_VI[r.reviewState as ReviewState] ?? '') : ''),
  },
  { header: 'Nhận xét duyệt (reviewComment)', value: (r) => r.reviewComment },
  { header: 'Phiên bản (version)', value: (r) => r.version },
  { header: 'Tạo trên máy chủ (createdAt)', value: (r) => r.createdAt },
  { header: 'Sửa trên máy chủ (updatedAt)', value: (r) => r.updatedAt },
];

export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** A cell as text, with a leading `'` if a spreadsheet could take it for a formula. */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(value: unknown): string {
  const s = safeCell(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportCells(r: ExportRow, names: ExportNames): string[] {
  return COLUMNS.map((c) => safeCell(c.value(r, names)));
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
      buf.push(COLUMNS.map((c) => csvField(c.value(r, names))).join(','));
      if (buf.length >= EXPORT_PAGE) {
        yield `${buf.join('\r\n')}\r\n`;
        buf = [];
      }
    }
    if (buf.length) yield `${buf.join('\r\n')}\r\n`;
  }
  return Readable.from(chunks());
}

/** The XLSX through exceljs's streaming writer; rows are committed as they are read. */
export function xlsxStream(store: Store, filter: ReportFilter, names: ExportNames): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('Nhat ky ho tro');
  void (async () => {
    sheet.addRow(EXPORT_HEADERS).commit();
    let n = 0;
    for await (const r of exportRows(store, filter)) {
      sheet.addRow(exportCells(r, names)).commit();
      // Let the zip stream drain now and then rather than buffering the whole file.
      if (++n % EXPORT_PAGE === 0 && out.writableNeedDrain)
        await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}
