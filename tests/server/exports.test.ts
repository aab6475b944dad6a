// The CSV and XLSX exports as a person opens them (docs/reporting.md, "Exports"), on both stores:
// Vietnamese labels instead of codes, typed cells, the summary sheets beside the log with their
// period, scope and as-of date, figures equal to the tallies API; then both files converted by
// LibreOffice headless, to check that Calc reads the text and the types the way we meant.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES, OUTCOMES, type LogRecord, type TallyResponse } from '../../src/shared/index.ts';
import {
  CITIZEN_PSEUDONYM_HEADER,
  EXPORT_HEADERS,
  LOG_SHEET,
  SESSION_SHEET,
  summaryHeading,
  type ExportNames,
} from '../../src/server/reporting/export.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { parseCsv } from '../support/csv.ts';
import { sofficeConvert } from '../support/soffice.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

type Who = 'demo-tnv' | 'demo-tnv2' | 'demo-lead';
const K1 = fakeIdNumber();
const K2 = fakeIdNumber();

/** Five records; four fall in the first quarter of 2026 (n = 5 is in April). */
const FIXTURE: { n: number; who: Who; record: Partial<LogRecord>; citizen?: string }[] = [
  {
    n: 1,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'vneid_l1',
      outcome: 'done',
      place: 'home',
      ageBand: '60_plus',
      sex: 'female',
      note: 'Bà cụ nhờ cài VNeID, "khó" nhớ mật khẩu',
    },
    citizen: K1,
  },
  {
    n: 2,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-13',
      hamletId: 'thon-tay',
      category: 'online_filing',
      outcome: 'submitted',
      serviceCode: 'CA-03',
      paidOnline: true,
      ageBand: '18_59',
      sex: 'male',
    },
    citizen: K1,
  },
  {
    n: 3,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-02-20',
      hamletId: 'thon-bac',
      category: 'can_cuoc',
      outcome: 'failed',
      failReason: 'no_smartphone',
      paidOnline: false,
      note: '=1+1',
    },
  },
  {
    n: 4,
    who: 'demo-lead',
    record: { occurredOn: '2026-03-31', hamletId: 'thon-dong', category: 'vneid_l1', outcome: 'done' },
    citizen: K2,
  },
  {
    n: 5,
    who: 'demo-tnv',
    record: { occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'can_cuoc', outcome: 'done' },
  },
];
const Q1 = 'from=2026-01-01&to=2026-03-31';
/** Raw codes that must never show in the Vietnamese files. */
const CODES = [
  'vneid_l1',
  'online_filing',
  'thon-dong',
  'thon-tay',
  'team-1',
  '60_plus',
  'female',
  'no_smartphone',
];
const HEAD = (h: string): number => EXPORT_HEADERS.indexOf(h);

async function loadXlsx(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Uint8Array.from(bytes).buffer);
  return wb;
}

/** A sheet's rows as arrays of cell values (index 0 is column A). */
function values(sheet: ExcelJS.Worksheet | undefined): ExcelJS.CellValue[][] {
  const out: ExcelJS.CellValue[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: ExcelJS.CellValue[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).value);
    out[n - 1] = cells;
  });
  return out;
}

describe.each(STORE_KINDS)('exports on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const ids: Record<number, string> = {};

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    const seq: Record<string, number> = {};
    const clients: Record<string, string> = {};
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs']) {
      token[u] = (await server.login(u)).token;
      clients[u] = clientId();
    }
    const contactKey = (await server.login('demo-tnv')).commune.contactKey;
    for (const f of FIXTURE) {
      const r = fakeRecord({ place: null, ageBand: null, note: null, ...f.record });
      if (f.citizen) Object.assign(r, await sealedCitizen(contactKey, r.id, f.citizen));
      ids[f.n] = r.id;
      seq[f.who] = (seq[f.who] ?? 0) + 1;
      const res = await server.push(token[f.who] ?? '', clients[f.who] ?? '', [createOf(r, seq[f.who] ?? 1)]);
      expect(res.body.results[0]?.status, JSON.stringify(res.body)).toBe('applied');
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function download(who: string, ext: 'csv' | 'xlsx', query = Q1): Promise<Uint8Array> {
    const res = await fetch(`${server.url}/api/v1/export/logs.${ext}?${query}`, {
      headers: { authorization: `Bearer ${token[who]}` },
    });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }
  async function tally(who: string, groupBy: string): Promise<TallyResponse> {
    const res = await server.request<TallyResponse>(`/api/v1/tallies?${Q1}&groupBy=${groupBy}`, {
      token: token[who],
    });
    expect(res.status).toBe(200);
    return res.body;
  }
  const logRow = (rows: ExcelJS.CellValue[][], n: number): ExcelJS.CellValue[] => {
    const row = rows.find((r) => r[0] === ids[n]);
    expect(row, `record ${n} in the log`).toBeDefined();
    return row ?? [];
  };

  it('XLSX: summary sheets before the log, a styled frozen header with a filter, widths', async () => {
    const wb = await loadXlsx(await download('demo-gs', 'xlsx'));
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      'Theo thôn và loại',
      'Theo kết quả',
      'Theo tổ và TNV',
      LOG_SHEET,
      SESSION_SHEET,
    ]);
    const log = wb.getWorksheet(LOG_SHEET);
    expect(log?.getRow(1).values).toEqual([undefined, ...EXPORT_HEADERS]);
    const head = log?.getRow(1).getCell(1);
    expect(head?.font?.bold).toBe(true);
    expect(head?.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(log?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(log?.autoFilter).toBe(`A1:V${1 + 4}`);
    expect(log?.getColumn(HEAD('Ghi chú') + 1).width).toBeGreaterThanOrEqual(30);
    expect(log?.getColumn(HEAD('Giới tính') + 1).width).toBeLessThan(12);
    for (const sheet of wb.worksheets.slice(0, 3)) {
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 6 });
      expect(sheet.getRow(6).getCell(1).font?.bold, sheet.name).toBe(true);
      expect(String(sheet.autoFilter), sheet.name).toMatch(/^A6:[A-Z]+\d+$/);
    }
  });

  it('XLSX log: typed days, numbers, booleans and times; Vietnamese labels, never codes', async () => {
    const wb = await loadXlsx(await download('demo-gs', 'xlsx'));
    const log = wb.getWorksheet(LOG_SHEET);
    const rows = values(log);
    expect(rows).toHaveLength(1 + 4);
    const one = logRow(rows, 1);
    expect(one[HEAD('Ngày hỗ trợ')]).toEqual(new Date('2026-01-05T00:00:00Z'));
    const dayCell = log?.getRow(rows.indexOf(one) + 1).getCell(HEAD('Ngày hỗ trợ') + 1);
    expect(dayCell?.numFmt).toBe('dd/mm/yyyy');
    expect(one[HEAD('Thôn/ấp')]).toBe('Thôn Đông');
    expect(one[HEAD('Loại hỗ trợ')]).toBe('Kích hoạt VNeID mức 1');
    expect(one[HEAD('Kết quả')]).toBe('Hoàn thành');
    expect(one[HEAD('Nơi hỗ trợ')]).toBe('Tại nhà dân');
    expect(one[HEAD('Nhóm tuổi')]).toBe('Từ 60 tuổi');
    expect(one[HEAD('Giới tính')]).toBe('Nữ');
    expect(one[HEAD('Tình nguyện viên')]).toBe('Nguyễn Văn An (demo)');
    expect(one[HEAD('Tổ')]).toBe('Tổ CNS số 1');
    expect(one[HEAD('Ghi chú')]).toBe('Bà cụ nhờ cài VNeID, "khó" nhớ mật khẩu');
    expect(typeof one[HEAD('Phiên bản')]).toBe('number');
    expect(one[HEAD('Thanh toán trực tuyến')]).toBeNull();
    const created = one[HEAD('Tạo trên máy chủ')];
    expect(created).toBeInstanceOf(Date);
    // The commune's wall clock (UTC+7), written as Excel's zone-less date-time.
    const stored = await server.store.getRecord(ids[1] ?? '');
    const wall = Date.parse(stored?.createdAt ?? '') + 7 * 3600_000;
    expect((created as Date).getTime()).toBe(wall - (wall % 1000));
    const two = logRow(rows, 2);
    expect(two[HEAD('Thanh toán trực tuyến')]).toBe(true);
    expect(two[HEAD('Mã dịch vụ công')]).toBe('CA-03');
    expect(two[HEAD('Dịch vụ công')]).toBe('Đăng ký thường trú');
    expect(two[HEAD(CITIZEN_PSEUDONYM_HEADER)]).toMatch(/^ND-[0-9a-f]{12}$/);
    expect(two[HEAD(CITIZEN_PSEUDONYM_HEADER)]).toBe(one[HEAD(CITIZEN_PSEUDONYM_HEADER)]);
    const three = logRow(rows, 3);
    expect(three[HEAD('Thanh toán trực tuyến')]).toBe(false);
    expect(three[HEAD('Lý do không thành công')]).toBe('Không có điện thoại thông minh');
    expect(three[HEAD('Ghi chú')]).toBe("'=1+1");
    expect(three[HEAD('Tổ')]).toBe('Tổ CNS số 2');
    for (const row of rows.slice(1)) for (const cell of row) expect(CODES).not.toContain(cell);
  });

  it('XLSX summaries: period, scope and as-of on top; figures equal to the tallies API', async () => {
    const wb = await loadXlsx(await download('demo-gs', 'xlsx'));
    const [hamletSheet, outcomeSheet, teamSheet] = wb.worksheets.map(values);
    for (const rows of [hamletSheet, outcomeSheet, teamSheet]) {
      expect(rows?.[1]?.[0]).toBe('Kỳ báo cáo: từ 01/01/2026 đến 31/03/2026');
      expect(rows?.[2]?.[0]).toMatch(/^Phạm vi: Toàn xã \(.+\)$/);
      expect(rows?.[3]?.[0]).toMatch(/^Số liệu tính đến: \d\d\/\d\d\/\d{4} lúc \d\d:\d\d$/);
    }
    // Hamlet × category: every cell, the row totals and the grand total as /tallies gives them.
    const header = hamletSheet?.[5] ?? [];
    expect(header.slice(0, 1 + CATEGORIES.length)).toEqual(['Thôn/ấp', ...CATEGORIES.map((c) => c.vi)]);
    const cells = await tally('demo-gs', 'hamlet,category');
    const byHamlet = await tally('demo-gs', 'hamlet');
    const names = new Map((await server.login('demo-gs')).commune.hamlets.map((h) => [h.id, h.name]));
    const body = hamletSheet?.slice(6) ?? [];
    for (const r of cells.rows) {
      const row = body.find((x) => x[0] === names.get(r.key.hamlet ?? ''));
      const col = CATEGORIES.findIndex((c) => c.code === r.key.category);
      expect(row?.[1 + col], `${r.key.hamlet} × ${r.key.category}`).toBe(r.count);
    }
    for (const r of byHamlet.rows) {
      const row = body.find((x) => x[0] === names.get(r.key.hamlet ?? ''));
      expect(row?.slice(-2)).toEqual([r.count, r.citizens]);
    }
    expect(body.at(-1)?.[0]).toBe('Tổng');
    expect(body.at(-1)?.slice(-2)).toEqual([cells.total.count, cells.total.citizens]);
    expect(cells.total).toEqual({ count: 4, citizens: 2 });
    // Hamlets with no record still have their row, with zeros (the commune's full list).
    expect(body.find((x) => x[0] === 'Thôn Nam')?.slice(-2)).toEqual([0, 0]);

    const outcomes = await tally('demo-gs', 'outcome');
    const outcomeRows = outcomeSheet?.slice(6) ?? [];
    expect(outcomeRows.map((r) => r[0])).toEqual([...OUTCOMES.map((o) => o.vi), 'Tổng']);
    for (const r of outcomes.rows) {
      const row = outcomeRows.find((x) => x[0] === OUTCOMES.find((o) => o.code === r.key.outcome)?.vi);
      expect(row).toEqual([row?.[0], r.count, r.count / outcomes.total.count, r.citizens]);
    }

    const people = await tally('demo-gs', 'team,volunteer');
    const teamRows = teamSheet?.slice(6) ?? [];
    expect(teamRows).toHaveLength(people.rows.length + 1);
    expect(teamRows).toContainEqual(['Tổ CNS số 1', 'Nguyễn Văn An (demo)', 2, 1]);
    expect(teamRows).toContainEqual(['Tổ CNS số 1', 'Lê Văn Cường (demo)', 1, 1]);
    expect(teamRows).toContainEqual(['Tổ CNS số 2', 'Trần Thị Bình (demo)', 1, 0]);
    expect(teamRows.at(-1)).toEqual(['Tổng', null, people.total.count, people.total.citizens]);
    for (const rows of [hamletSheet, outcomeSheet, teamSheet])
      for (const row of rows ?? []) for (const c of row) expect(CODES).not.toContain(c);
  });

  it("a lead's file names the team as its scope and holds the team's records only", async () => {
    const wb = await loadXlsx(await download('demo-lead', 'xlsx'));
    expect(values(wb.worksheets[0])[2]?.[0]).toMatch(/^Phạm vi: Tổ CNS số 1 \(/);
    expect(values(wb.getWorksheet(LOG_SHEET))).toHaveLength(1 + 3);
    const filtered = await loadXlsx(await download('demo-gs', 'xlsx', `${Q1}&reviewState=none`));
    expect(values(filtered.worksheets[1])[4]?.[0]).toBe('Trạng thái duyệt: Chưa duyệt');
  });

  it('CSV: BOM, CRLF, quoted where needed, ISO days and times, labels and Có/Không', async () => {
    const bytes = await download('demo-gs', 'csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.split('\r\n').filter((line) => /[\r\n]/.test(line))).toEqual([]);
    const table = parseCsv(text);
    expect(table[0]).toEqual(EXPORT_HEADERS);
    expect(table).toHaveLength(1 + 4);
    const row = (n: number): string[] => table.find((r) => r[0] === ids[n]) ?? [];
    expect(row(1)[HEAD('Ngày hỗ trợ')]).toBe('2026-01-05');
    expect(row(1)[HEAD('Loại hỗ trợ')]).toBe('Kích hoạt VNeID mức 1');
    expect(row(1)[HEAD('Ghi chú')]).toBe('Bà cụ nhờ cài VNeID, "khó" nhớ mật khẩu');
    expect(text).toContain('"Bà cụ nhờ cài VNeID, ""khó"" nhớ mật khẩu"');
    expect(row(1)[HEAD('Tạo trên máy chủ')]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(row(2)[HEAD('Thanh toán trực tuyến')]).toBe('Có');
    expect(row(3)[HEAD('Thanh toán trực tuyến')]).toBe('Không');
    expect(row(1)[HEAD('Thanh toán trực tuyến')]).toBe('');
    expect(row(3)[HEAD('Ghi chú')]).toBe("'=1+1");
    for (const r of table.slice(1)) for (const c of r) expect(CODES).not.toContain(c);
  });

  // A conversion starts LibreOffice with a fresh profile: seconds each, more on a busy machine.
  describe('through LibreOffice', { timeout: 120_000 }, () => {
    it('Calc opens the CSV with its default import: Vietnamese text intact, days, numbers typed', async () => {
      const csv = await download('demo-gs', 'csv');
      // What Calc's text import dialog offers for this file: comma, double quote, UTF-8 (from the
      // BOM), from line 1; once with "detect special numbers" off (its default) and once on.
      for (const special of ['false', 'true']) {
        const out = await sofficeConvert(
          'nhat-ky.csv',
          csv,
          'xlsx',
          `Text - txt - csv (StarCalc):44,34,76,1,,0,false,${special}`,
        );
        const wb = await loadXlsx(out.get('nhat-ky.xlsx') ?? new Uint8Array());
        const rows = values(wb.worksheets[0]);
        expect(rows[0], `special numbers ${special}`).toEqual(EXPORT_HEADERS);
        const one = rows.find((r) => r[0] === ids[1]) ?? [];
        expect(one[HEAD('Ngày hỗ trợ')]).toEqual(new Date('2026-01-05T00:00:00Z'));
        // A time is a date-time only when Calc detects special numbers; else the same sortable text.
        if (special === 'true') expect(one[HEAD('Tạo trên máy chủ')]).toBeInstanceOf(Date);
        else expect(one[HEAD('Tạo trên máy chủ')]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(typeof one[HEAD('Phiên bản')]).toBe('number');
        expect(one[HEAD('Ghi chú')]).toBe('Bà cụ nhờ cài VNeID, "khó" nhớ mật khẩu');
        expect(one[HEAD('Thôn/ấp')]).toBe('Thôn Đông');
        const two = rows.find((r) => r[0] === ids[2]) ?? [];
        // 13 January stays 13 January: an ISO day is never read month-first.
        expect(two[HEAD('Ngày hỗ trợ')]).toEqual(new Date('2026-01-13T00:00:00Z'));
        expect(two[HEAD(CITIZEN_PSEUDONYM_HEADER)]).toMatch(/^ND-[0-9a-f]{12}$/);
        const three = rows.find((r) => r[0] === ids[3]) ?? [];
        expect(three[HEAD('Ghi chú')]).toBe("'=1+1");
        expect(three[HEAD('Thanh toán trực tuyến')]).toBe('Không');
      }
    });

    it('Calc reads the XLSX: every sheet, Vietnamese text, days shown dd/mm/yyyy, numbers unquoted', async () => {
      const xlsx = await download('demo-gs', 'xlsx');
      // Token 12 = -1: one CSV per sheet; token 9 = true: cells as Calc shows them.
      const out = await sofficeConvert(
        'bao-cao.xlsx',
        xlsx,
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
      );
      const sheet = (name: string): string[][] => {
        const file = out.get(`bao-cao-${name}.csv`);
        expect(file, `${name} among ${[...out.keys()].join(', ')}`).toBeDefined();
        return parseCsv(file?.toString('utf8').replaceAll(/\r?\n/g, '\r\n') ?? '');
      };
      const log = sheet(LOG_SHEET);
      expect(log[0]).toEqual(EXPORT_HEADERS);
      const one = log.find((r) => r[0] === ids[1]) ?? [];
      expect(one[HEAD('Ngày hỗ trợ')]).toBe('05/01/2026');
      expect(one[HEAD('Tạo trên máy chủ')]).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
      expect(one[HEAD('Loại hỗ trợ')]).toBe('Kích hoạt VNeID mức 1');
      expect(one[HEAD('Phiên bản')]).toMatch(/^\d+$/);
      const two = log.find((r) => r[0] === ids[2]) ?? [];
      expect(two[HEAD('Ngày hỗ trợ')]).toBe('13/01/2026');
      expect(two[HEAD('Thanh toán trực tuyến')]).toBe('TRUE');
      const raw = out.get(`bao-cao-${LOG_SHEET}.csv`)?.toString('utf8') ?? '';
      // Numbers and days leave Calc unquoted: they are cells of those types, not text.
      expect(raw).toMatch(/,05\/01\/2026,/);
      const hamlets = sheet('Theo thôn và loại');
      expect(hamlets[2]?.[0]).toMatch(/^Phạm vi: Toàn xã/);
      expect(hamlets.at(-1)?.slice(0, 1)).toEqual(['Tổng']);
      expect(hamlets.at(-1)?.slice(-2)).toEqual(['4', '2']);
      const outcomes = sheet('Theo kết quả');
      const done = outcomes.find((r) => r[0] === 'Hoàn thành') ?? [];
      expect([done[1], done[3]]).toEqual(['2', '2']);
      // A share, shown as a percentage (the decimal mark is the profile's locale's).
      expect(done[2]).toMatch(/^50[.,]0\s?%$/);
    });
  });
});

describe("a summary sheet's heading", () => {
  const names: ExportNames = {
    hamlets: new Map(),
    hamletOrder: [],
    teams: new Map(),
    people: new Map(),
    citizen: () => '',
    communeName: 'Xã Thử',
    scopeLabel: 'Toàn xã',
    asOf: new Date('2026-03-31T03:00:00Z'),
  };
  const filter = {
    scope: { kind: 'commune' as const, communeCode: '99001' },
    from: '2026-01-01',
    to: '2026-03-31',
  };
  const refused = 'Không tính vào tổng: 1.234 bản ghi bị từ chối khi duyệt (“Không duyệt”)';

  it('says how many records refused in review its figures leave out, as the screen and printout do', () => {
    expect(summaryHeading('Theo thôn', filter, names, 1234)).toContain(refused);
    expect(summaryHeading('Theo thôn', filter, names, 0).join('\n')).not.toContain('bị từ chối');
  });

  it('says nothing of refused records when a review-state filter chose the records', () => {
    const lines = summaryHeading('Theo thôn', { ...filter, reviewState: 'rejected' }, names, 1234);
    expect(lines.join('\n')).not.toContain('Không tính vào tổng');
    expect(lines).toContain('Trạng thái duyệt: Không duyệt');
  });
});
