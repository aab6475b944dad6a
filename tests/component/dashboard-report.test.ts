// The dashboard's pure shaping: the hamlet × category table of the report's cells, services by
// agency, comparisons and period labels, trend buckets named as the server names them, volunteer
// rows for a drill-down, and the reconciliation marks.
import { describe, expect, it } from 'vitest';
import {
  byVolunteer,
  crossTable,
  formatChange,
  formatRangeVi,
  reconMark,
  serviceGroups,
  trendBars,
} from '../../src/app/dashboard/report.ts';
import type { ReconciliationRow } from '../../src/shared/index.ts';
import { makeReportSummary } from '../support/report-summary.ts';

function recon(over: Partial<ReconciliationRow>): ReconciliationRow {
  return {
    volunteerId: 'u1',
    displayName: 'A',
    teamId: null,
    deviceCount: 5,
    serverCount: 5,
    pendingAtLastContact: 0,
    lastContactAt: null,
    lastSyncedAt: null,
    complete: true,
    ...over,
  };
}

describe('dashboard report shaping', () => {
  it('lays the cells out by hamlet in the commune order and category in catalogue order, with sums', () => {
    const hamlets = [
      { id: 'h1', name: 'Thôn Đông' },
      { id: 'h2', name: 'Thôn Tây' },
    ];
    const table = crossTable(
      [
        { hamletId: 'h2', category: 'vneid_l2', count: 4 },
        { hamletId: null, category: 'can_cuoc', count: 1 },
        { hamletId: 'h1', category: 'vneid_l2', count: 2 },
        { hamletId: 'h1', category: 'can_cuoc', count: 3 },
        { hamletId: 'h-old', category: 'other', count: 5 },
      ],
      hamlets,
    );
    expect(table.hamlets.map((h) => [h.label, h.value])).toEqual([
      ['Thôn Đông', 5],
      ['Thôn Tây', 4],
      ['h-old', 5],
      ['Chưa ghi thôn/ấp', 1],
    ]);
    expect(table.categories.map((c) => [c.key, c.value])).toEqual([
      ['can_cuoc', 4],
      ['vneid_l2', 6],
      ['other', 5],
    ]);
    expect(table.cell('h1', 'can_cuoc')).toBe(3);
    expect(table.cell('h2', 'can_cuoc')).toBe(0);
    expect(table.total).toBe(15);
  });

  it('groups the services by agency with sums that equal their rows', () => {
    const summary = makeReportSummary();
    const groups = serviceGroups(summary);
    expect(groups.map((g) => g.label)).toEqual(
      ['Công an', 'UBND xã', 'Khác'].filter((_, i) =>
        summary.services.some((s) => s.agency === (['police', 'commune', 'other'] as const)[i]),
      ),
    );
    expect(groups.flatMap((g) => g.rows)).toHaveLength(summary.services.length);
    const police = groups[0]!;
    expect(police.count.current).toBe(police.rows.reduce((n, s) => n + s.count.current, 0));
    expect(groups.reduce((n, g) => n + g.paidOnline, 0)).toBe(summary.payment.paidOnline);
    expect(groups.reduce((n, g) => n + g.count.current, 0)).toBe(summary.payment.withService);
  });

  it('writes a change with its sign and a period with one year when both ends share it', () => {
    expect(formatChange(42, 30)).toBe('+12');
    expect(formatChange(27, 30)).toBe('\u22123');
    expect(formatChange(5, 5)).toBe('0');
    expect(formatChange(2500, 0)).toBe('+2.500');
    expect(formatRangeVi({ from: '2026-10-01', to: '2026-10-31' })).toBe('01/10–31/10/2026');
    expect(formatRangeVi({ from: '2025-12-29', to: '2026-01-04' })).toBe('29/12/2025–04/01/2026');
    expect(formatRangeVi({ from: '2026-10-01', to: '2026-10-01' })).toBe('01/10/2026');
  });

  it('buckets a quarter by ISO week, Monday 28/12/2026 falling in week 53', () => {
    const bars = trendBars([{ key: { week: '2026-W53' }, count: 4, citizens: 4 }], 'week', {
      from: '2026-10-01',
      to: '2026-12-31',
    });
    expect(bars[0]!.key).toBe('2026-W40');
    expect(bars.at(-1)).toEqual({ key: '2026-W53', label: 'T53', value: 4 });
    expect(bars).toHaveLength(14);
  });

  it("names a drill-down per volunteer, most first, with the server's exact citizens", () => {
    const rows = [
      { key: { volunteer: 'u2' }, count: 3, citizens: 3 },
      { key: { volunteer: 'u1' }, count: 4, citizens: 2 },
      { key: { volunteer: null }, count: 1, citizens: 1 },
    ];
    expect(byVolunteer(rows, [{ volunteerId: 'u2', displayName: 'Bình' }])).toEqual([
      { key: 'u1', label: 'u1', count: 4, citizens: 2 },
      { key: 'u2', label: 'Bình', count: 3, citizens: 3 },
      { key: '', label: 'Không rõ', count: 1, citizens: 1 },
    ]);
  });

  it('marks "Thiếu N" by the larger of the count gap and the records still waiting', () => {
    expect(reconMark(recon({})).text).toBe('Đủ');
    expect(
      reconMark(recon({ complete: false, deviceCount: 9, serverCount: 5, pendingAtLastContact: 1 })).text,
    ).toBe('Thiếu 4');
    expect(
      reconMark(recon({ complete: false, deviceCount: 5, serverCount: 5, pendingAtLastContact: 2 })).text,
    ).toBe('Thiếu 2');
    expect(
      reconMark(recon({ complete: false, deviceCount: 3, serverCount: 5, pendingAtLastContact: 0 })).kind,
    ).toBe('mismatch');
    expect(reconMark(recon({ complete: false, deviceCount: null })).text).toBe('Chưa báo cáo');
  });
});
