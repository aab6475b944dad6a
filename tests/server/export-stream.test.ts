// The XLSX and CSV exports stream (docs/reporting.md, "Streaming"): the writer reads the next page of
// records only as the reader takes the file, so a 500k-record export never sits whole in memory.
// A store that makes up its pages (no database: this is about the writer) records, for each page
// asked, how many bytes the reader had taken by then.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TallyResponse } from '../../src/shared/index.ts';
import {
  EXPORT_PAGE,
  csvStream,
  exportPseudonyms,
  xlsxStream,
  type ExportNames,
} from '../../src/server/reporting/export.ts';
import type { ExportRow, ReportFilter, Store } from '../../src/server/store/store.ts';

const PAGES = 30;
const FILTER: ReportFilter = {
  scope: { kind: 'commune', communeCode: 'X' },
  communeCode: 'X',
  from: '2026-01-01',
  to: '2026-12-31',
};
const NAMES: ExportNames = {
  hamlets: new Map([['h1', 'Thôn Một']]),
  hamletOrder: ['h1'],
  teams: new Map([['t1', 'Tổ CNS số 1']]),
  people: new Map([['u1', 'Người Thử (demo)']]),
  citizen: exportPseudonyms(),
  communeName: 'Xã Thử',
  scopeLabel: 'Toàn xã',
  asOf: new Date('2026-12-07T08:00:00Z'),
};

function fakeStore(consumed: () => number) {
  const seenAt: number[] = [];
  const store = {
    async exportPage(_f: ReportFilter, after: { occurredOn: string; id: string } | null, limit: number) {
      const page = after ? Math.floor(Number(after.id.slice(-12)) / EXPORT_PAGE) + 1 : 0;
      if (page >= PAGES) return [];
      seenAt.push(consumed());
      return Array.from({ length: limit }, (_, i): ExportRow => {
        const n = page * EXPORT_PAGE + i;
        return {
          id: `01930000-0000-7000-8000-${String(n).padStart(12, '0')}`,
          communeCode: 'X',
          teamId: 't1',
          volunteerId: 'u1',
          version: n + 1,
          data: {
            hamletId: 'h1',
            category: 'vneid_l1',
            outcome: 'done',
            place: 'home',
            paidOnline: n % 2 === 0,
            note: `Ghi chú số ${n}: hỗ trợ cài đặt và kích hoạt tài khoản định danh điện tử`,
            citizenKey: `key-${n % 5000}`,
          },
          reviewState: null,
          reviewComment: null,
          createdAt: '2026-03-01T01:02:03.000Z',
          updatedAt: '2026-03-01T01:02:03.000Z',
          occurredOn: '2026-03-01',
        };
      });
    },
    async tally(): Promise<TallyResponse> {
      return { rows: [], total: { count: 0, citizens: 0 }, rejected: 0 };
    },
    // The workbook's group-sessions sheet: none here, the stream under test is the records'.
    async sessionReportRows() {
      return [];
    },
    async sessionTopics() {
      return [];
    },
  };
  return { store: store as unknown as Store, seenAt };
}

/**
 * Reads `stream` a chunk at a time, yielding to the event loop between chunks as a slow client
 * would, and answers the bytes read.
 */
async function slowRead(stream: Readable, onBytes: (n: number) => void): Promise<number> {
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer | string).length;
    onBytes(total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return total;
}

// 30,000 rows through exceljs: a few seconds, more on a busy machine.
describe('exports stream', { timeout: 90_000 }, () => {
  it('XLSX: a page is read only after the reader took most of what came before', async () => {
    let bytes = 0;
    const { store, seenAt } = fakeStore(() => bytes);
    const total = await slowRead(xlsxStream(store, FILTER, NAMES), (n) => (bytes = n));
    expect(seenAt).toHaveLength(PAGES);
    // A page of 1,000 rows is well over 20 KB of zipped XML. Without backpressure the writer would
    // ask for every page while the reader still had almost nothing.
    const perPage = total / PAGES;
    expect(perPage).toBeGreaterThan(20_000);
    seenAt.forEach((at, page) => {
      if (page >= 4)
        expect(at, `bytes read when page ${page} was asked`).toBeGreaterThan((page - 3) * perPage);
    });
  });

  it('CSV: the same, a page at a time', async () => {
    let bytes = 0;
    const { store, seenAt } = fakeStore(() => bytes);
    const total = await slowRead(csvStream(store, FILTER, NAMES), (n) => (bytes = n));
    expect(seenAt).toHaveLength(PAGES);
    const perPage = total / PAGES;
    seenAt.forEach((at, page) => {
      if (page >= 4)
        expect(at, `bytes read when page ${page} was asked`).toBeGreaterThan((page - 3) * perPage);
    });
  });
});
