// CSV and XLSX exports over real HTTP on both stores: headers, scope, neutralised formulas and
// per-export pseudonyms (reporting-fixture.ts, docs/reporting.md "Exports").
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXPORT_HEADERS, LOG_SHEET, safeCell } from '../../src/server/reporting/export.ts';
import { STORE_KINDS, setupAll } from './harness.ts';
import { Q1, reportingServer } from './reporting-fixture.ts';
import { parseCsv } from '../support/csv.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token, ids } = fx;

  describe('exports', () => {
    // The review-state filter needs a reviewed record: a supervisor approves record 1 first.
    setupAll(async () => {
      const res = await fx.server.request(`/api/v1/records/${ids[1]}/review`, {
        token: token['demo-gs'],
        body: { state: 'approved' },
      });
      expect(res.status, res.text).toBe(200);
    });

    it('CSV: BOM, one header row, one row per live record in scope, formulas neutralised', async () => {
      const res = await fetch(`${fx.server.url}/api/v1/export/logs.csv?${Q1}`, {
        headers: { authorization: `Bearer ${token['demo-gs']}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const table = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
      expect(table[0]).toEqual(EXPORT_HEADERS);
      expect(table).toHaveLength(1 + 12);
      const idCol = EXPORT_HEADERS.indexOf('Mã bản ghi');
      const exported = new Set(table.slice(1).map((r) => r[idCol]));
      expect(exported.has(ids[7])).toBe(false);
      expect(exported.has(ids[8])).toBe(false);
      expect(exported.has(ids[1])).toBe(true);
      const notes = table.slice(1).map((r) => r[EXPORT_HEADERS.indexOf('Ghi chú')]);
      expect(notes).toContain(`'=HYPERLINK("http://x")`);
      expect(notes).toContain("'+84 912");
      expect(notes).toContain(`'-1, "a"`);
      expect(notes).toContain("'@SUM(A1)");
      for (const cells of table.slice(1)) for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      const lead = await fx.server.request(`/api/v1/export/logs.csv?${Q1}`, { token: token['demo-lead'] });
      expect(parseCsv(lead.text.slice(1))).toHaveLength(1 + 8);
      const approved = await fx.server.request(`/api/v1/export/logs.csv?${Q1}&reviewState=approved`, {
        token: token['demo-gs'],
      });
      expect(parseCsv(approved.text.slice(1))).toHaveLength(1 + 1);
      expect(
        (await fx.server.request(`/api/v1/export/logs.csv?from=2026-01-01`, { token: token['demo-gs'] }))
          .status,
      ).toBe(400);
    });

    it("CSV and XLSX group a citizen's rows by a pseudonym that changes with every export, never the key", async () => {
      const col = EXPORT_HEADERS.indexOf('Mã người dân (chỉ trong tệp này)');
      expect(col).toBeGreaterThanOrEqual(0);
      expect(EXPORT_HEADERS.some((h) => h.includes('citizenKey'))).toBe(false);
      const idCol = EXPORT_HEADERS.indexOf('Mã bản ghi');
      const csvOnce = async (): Promise<Map<string, string>> => {
        const res = await fx.server.request(`/api/v1/export/logs.csv?${Q1}`, { token: token['demo-gs'] });
        expect(res.text).not.toMatch(/[0-9a-f]{64}/);
        return new Map(
          parseCsv(res.text.slice(1))
            .slice(1)
            .map((r) => [r[idCol] ?? '', r[col] ?? '']),
        );
      };
      const one = await csvOnce();
      const two = await csvOnce();
      // Records 1, 2, 5 are the same citizen (K1); 3 is K2; 6 has none.
      const p1 = one.get(ids[1] ?? '');
      expect(p1).toMatch(/^ND-[0-9a-f]{12}$/);
      expect(one.get(ids[2] ?? '')).toBe(p1);
      expect(one.get(ids[5] ?? '')).toBe(p1);
      expect(one.get(ids[3] ?? '')).toMatch(/^ND-[0-9a-f]{12}$/);
      expect(one.get(ids[3] ?? '')).not.toBe(p1);
      expect(one.get(ids[6] ?? '')).toBe('');
      expect(two.get(ids[1] ?? '')).toMatch(/^ND-[0-9a-f]{12}$/);
      expect(two.get(ids[1] ?? '')).not.toBe(p1);
      expect(two.get(ids[2] ?? '')).toBe(two.get(ids[1] ?? ''));
      const res = await fetch(`${fx.server.url}/api/v1/export/logs.xlsx?${Q1}`, {
        headers: { authorization: `Bearer ${token['demo-gs']}` },
      });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const byId = new Map<string, unknown>();
      wb.getWorksheet(LOG_SHEET)?.eachRow((row) =>
        byId.set(String(row.getCell(idCol + 1).value), row.getCell(col + 1).value),
      );
      const x1 = byId.get(ids[1] ?? '');
      expect(x1).toMatch(/^ND-[0-9a-f]{12}$/);
      expect(byId.get(ids[2] ?? '')).toBe(x1);
      expect(x1).not.toBe(p1);
    });

    it('neutralises tab and CR at the start of a cell too', () => {
      expect(safeCell('\tx')).toBe("'\tx");
      expect(safeCell('\rx')).toBe("'\rx");
      expect(safeCell('a=b')).toBe('a=b');
      expect(safeCell(null)).toBe('');
    });

    it('XLSX opens with exceljs and has the header and one row per live record', async () => {
      const res = await fetch(`${fx.server.url}/api/v1/export/logs.xlsx?${Q1}`, {
        headers: { authorization: `Bearer ${token['demo-tnv2']}` },
      });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const sheet = wb.getWorksheet(LOG_SHEET);
      expect(sheet?.actualRowCount).toBe(1 + 4);
      expect(sheet?.getRow(1).getCell(1).value).toBe('Mã bản ghi');
      const notes: unknown[] = [];
      sheet?.eachRow((row) => notes.push(row.getCell(EXPORT_HEADERS.indexOf('Ghi chú') + 1).value));
      expect(notes).toContain("'@SUM(A1)");
    });
  });
});
