// Volunteers and leads from a spreadsheet (docs/operations.md): the file (CSV or XLSX) read into
// rows, the header names matched in Vietnamese or English, and every row checked with a problem in
// Vietnamese per cell, against the admin's own commune. Nothing here writes.
import type * as ExcelJS from 'exceljs';
import {
  MAX_IMPORT_FILE_BYTES,
  MAX_IMPORT_ROWS,
  type ImportProblem,
  type ImportRole,
  type ImportRow,
} from '../../shared/people-import.ts';
import { freeTextFieldIssue } from '../../shared/citizen/free-text.ts';
import type { TeamRow } from '../store/accounts/types.ts';
import type { Reads } from '../store/store.ts';
import { fieldError } from './accounts.ts';

type Column = 'name' | 'username' | 'role' | 'team' | 'phone';

/** A cell's text folded for matching: no diacritics, đ as d, lower case, single spaces, no punctuation. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Header names (folded) of each column; extra columns are ignored. */
const HEADERS: Record<Column, readonly string[]> = {
  name: ['ho ten', 'ho va ten', 'ten', 'ten hien thi', 'name', 'full name', 'display name'],
  username: ['ten dang nhap', 'username', 'user name', 'login'],
  role: ['vai tro', 'role'],
  team: ['to', 'to cns', 'ten to', 'team'],
  phone: ['so dien thoai', 'dien thoai', 'sdt', 'phone', 'phone number'],
};
const REQUIRED_LABELS: Record<Exclude<Column, 'phone'>, string> = {
  name: 'Họ tên',
  username: 'Tên đăng nhập',
  role: 'Vai trò',
  team: 'Tổ',
};

const ROLES: Record<string, ImportRole> = {
  'tinh nguyen vien': 'volunteer',
  tnv: 'volunteer',
  volunteer: 'volunteer',
  'to truong': 'lead',
  lead: 'lead',
  'team lead': 'lead',
};

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const MAX_NAME = 80;

/** The file's cells, row by row, as text; `line` is the spreadsheet's own row number. */
interface Sheet {
  rows: { line: number; cells: string[] }[];
}

const fileError = (code: string, message: string) => fieldError('file', code, message);

/** Reads the base64 file: XLSX when it is a zip, CSV (UTF-8, with or without BOM) otherwise. */
export async function readSheet(base64: string): Promise<Sheet> {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(base64))
    throw fileError('invalid', 'Tệp gửi lên không đọc được. Hãy chọn lại tệp.');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw fileError('empty', 'Tệp trống.');
  if (bytes.length > MAX_IMPORT_FILE_BYTES)
    throw fileError('too_large', 'Tệp quá lớn (tối đa 2 MB). Hãy chia thành nhiều tệp.');
  // A zip (XLSX) starts with "PK\3\4".
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) return readXlsx(bytes);
  return readCsv(bytes);
}

/** What an XLSX may inflate to (a 500-person workbook is under 1 MB unzipped). */
export const MAX_XLSX_INFLATED_BYTES = 32 * 1024 * 1024;
const MAX_XLSX_ENTRIES = 2000;

/**
 * The sizes a zip declares in its central directory, summed, or null when it cannot be read.
 * exceljs inflates the whole workbook in memory: a small zip of zeros would take the server's
 * memory with it, so the declared sizes are checked first. A zip that lies about its sizes is
 * refused by JSZip only after inflating; the route is for the commune's admin alone.
 */
export function zipInflatedBytes(bytes: Buffer): number | null {
  const EOCD = 0x06054b50;
  const CDH = 0x02014b50;
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (bytes.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  if (end < 0) return null;
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (entries > MAX_XLSX_ENTRIES) return null;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CDH) return null;
    const size = bytes.readUInt32LE(at + 24);
    // 0xffffffff: a Zip64 size, far beyond any list of people.
    if (size === 0xffffffff) return null;
    total += size;
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return total;
}

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const inflated = zipInflatedBytes(bytes);
  if (inflated === null)
    throw fileError('unreadable', 'Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx hoặc .csv.');
  if (inflated > MAX_XLSX_INFLATED_BYTES)
    throw fileError('too_large', 'Tệp Excel quá lớn khi giải nén. Hãy chỉ giữ danh sách người cần nhập.');
  // Loaded on the first XLSX import, so a server that never imports does not hold exceljs.
  const excel = (await import('exceljs')).default;
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError('unreadable', 'Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx hoặc .csv.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileError('empty', 'Tệp trống.');
  const rows: Sheet['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = xlsxText(cell.value, cell.text);
    });
    rows.push({ line, cells: Array.from(cells, (c) => c ?? '') });
  });
  return { rows };
}

/**
 * A cell as text. A phone typed as a number loses its leading 0 in Excel (912345678): a whole
 * number of 9 or 10 digits gets it back, so the admin need not format the column as text.
 */
function xlsxText(value: ExcelJS.CellValue, text: string): string {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    const s = String(value);
    return (s.length === 9 || s.length === 10) && !s.startsWith('0') ? `0${s}` : s;
  }
  return (text ?? '').toString();
}

function readCsv(bytes: Buffer): Sheet {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fileError(
      'encoding',
      'Tệp CSV không phải mã UTF-8. Trong Excel, hãy lưu bằng "CSV UTF-8 (Comma delimited)".',
    );
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Excel with Vietnamese regional settings saves ";" (the comma is the decimal mark there).
  const sep = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  return { rows: parseCsv(text, sep) };
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** RFC 4180 with the given separator: quoted cells may hold the separator, "" and line breaks. */
function parseCsv(text: string, sep: string): Sheet['rows'] {
  const rows: Sheet['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/** The raw cells of each data row, by column: the header row found, blank rows dropped, capped. */
export function sheetRows(sheet: Sheet): { line: number; values: Record<Column, string> }[] {
  const nonBlank = sheet.rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonBlank[0];
  if (!header) throw fileError('empty', 'Tệp không có dòng nào.');
  const index = new Map<Column, number>();
  header.cells.forEach((h, i) => {
    const f = fold(h);
    for (const [col, names] of Object.entries(HEADERS) as [Column, readonly string[]][])
      if (names.includes(f) && !index.has(col)) index.set(col, i);
  });
  const missing = (Object.keys(REQUIRED_LABELS) as (keyof typeof REQUIRED_LABELS)[]).filter(
    (c) => !index.has(c),
  );
  if (missing.length > 0)
    throw fileError(
      'missing_columns',
      `Dòng tiêu đề thiếu cột: ${missing.map((c) => REQUIRED_LABELS[c]).join(', ')}. Hãy dùng tệp mẫu.`,
    );
  const data = nonBlank.slice(1);
  if (data.length === 0) throw fileError('empty', 'Tệp chỉ có dòng tiêu đề, chưa có người nào.');
  if (data.length > MAX_IMPORT_ROWS)
    throw fileError(
      'too_many_rows',
      `Tệp có ${data.length} dòng; mỗi lần nhập tối đa ${MAX_IMPORT_ROWS} người. Hãy chia thành nhiều tệp.`,
    );
  const at = (cells: string[], col: Column) => {
    const i = index.get(col);
    return i === undefined ? '' : (cells[i] ?? '').normalize('NFC').trim();
  };
  return data.map((r) => ({
    line: r.line,
    values: {
      name: at(r.cells, 'name').replace(/\s+/g, ' '),
      username: at(r.cells, 'username'),
      role: at(r.cells, 'role'),
      team: at(r.cells, 'team'),
      phone: at(r.cells, 'phone'),
    },
  }));
}

/** A phone number as kept on the QR sheet (0xxxxxxxxx), or null when it is not one. */
export function cleanPhone(raw: string): string | null {
  let d = raw.replace(/[\s.\-()]/g, '');
  if (d.startsWith('+84')) d = `0${d.slice(3)}`;
  else if (/^84\d{9}$/.test(d)) d = `0${d.slice(2)}`;
  return /^0\d{9,10}$/.test(d) ? d : null;
}

/** The team a cell names, matched case- and diacritics-insensitively within the commune. */
function findTeam(teams: TeamRow[], cell: string): TeamRow[] {
  const exact = teams.filter((t) => t.name.normalize('NFC') === cell);
  if (exact.length > 0) return exact;
  const f = fold(cell);
  return teams.filter((t) => fold(t.name) === f);
}

/**
 * Every row checked: cells present and valid, role volunteer or lead, team of the commune, the
 * username free in the whole database and used once in the file, no ID number in the name.
 */
export async function checkRows(
  reads: Reads,
  communeCode: string,
  rows: { line: number; values: Record<Column, string> }[],
): Promise<ImportRow[]> {
  const teams = await reads.listTeams(communeCode);
  const seen = new Map<string, number>();
  for (const r of rows) {
    const u = r.values.username.toLowerCase();
    if (u) seen.set(u, (seen.get(u) ?? 0) + 1);
  }
  const out: ImportRow[] = [];
  for (const { line, values } of rows) {
    const problems: ImportProblem[] = [];
    const add = (field: Column, code: string, message: string) => problems.push({ field, code, message });

    if (!values.name) add('name', 'required', 'Thiếu họ tên.');
    else if (values.name.length > MAX_NAME) add('name', 'too_long', `Họ tên dài quá ${MAX_NAME} ký tự.`);
    else {
      const issue = freeTextFieldIssue('name', 'Họ tên', values.name);
      if (issue) add('name', issue.code, issue.message);
    }

    // Usernames are case-insensitive to the admin: "NguyenVanAn" is read as "nguyenvanan".
    const username = values.username.toLowerCase();
    if (!username) add('username', 'required', 'Thiếu tên đăng nhập.');
    else if (!USERNAME_RE.test(username))
      add(
        'username',
        'invalid',
        'Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang (3–32 ký tự).',
      );
    else if ((seen.get(username) ?? 0) > 1)
      add('username', 'duplicate', 'Tên đăng nhập bị trùng với một dòng khác trong tệp.');
    else if (await reads.findUserByUsername(username))
      add('username', 'taken', 'Tên đăng nhập đã có người dùng.');

    const roleValue = ROLES[fold(values.role)] ?? null;
    if (!values.role) add('role', 'required', 'Thiếu vai trò (tình nguyện viên hoặc tổ trưởng).');
    else if (!roleValue)
      add('role', 'unknown_role', 'Vai trò không nhập được: chỉ "tình nguyện viên" hoặc "tổ trưởng".');

    let team: TeamRow | null = null;
    if (!values.team) add('team', 'required', 'Thiếu tổ.');
    else {
      const found = findTeam(teams, values.team);
      if (found.length === 1) team = found[0]!;
      else if (found.length === 0)
        add('team', 'unknown_team', `Không có tổ "${values.team}" trong xã. Hãy tạo tổ trước hoặc sửa tên.`);
      else
        add('team', 'ambiguous_team', `Có nhiều tổ tên gần giống "${values.team}". Hãy ghi đúng tên có dấu.`);
    }

    let phone = values.phone;
    if (phone) {
      const clean = cleanPhone(phone);
      if (clean) phone = clean;
      else add('phone', 'invalid', 'Số điện thoại không hợp lệ (ví dụ 0912345678).');
    }

    out.push({
      line,
      name: values.name,
      username,
      role: values.role,
      team: values.team,
      phone,
      roleValue,
      teamId: team?.id ?? null,
      teamName: team?.name ?? null,
      problems,
    });
  }
  return out;
}
