// The dashboard's pure shaping: which rows the Đề án 06 view keeps, trend buckets named as the
// server names them, volunteer sums for a drill-down, and the reconciliation marks.
import { describe, expect, it } from 'vitest';
import { byVolunteer, inView, reconMark, trendBars } from '../../src/app/dashboard/report.ts';
import type { ReconciliationRow } from '../../src/shared/index.ts';

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
  it('keeps police filings and VNeID in the Đề án 06 view but not commune filings or skills', () => {
    const row = (category: string, service: string | null) => ({
      key: { category, service },
      count: 1,
      citizens: 1,
    });
    expect(inView(row('online_filing', 'CA-13'), 'de_an_06')).toBe(true);
    expect(inView(row('vneid_docs', null), 'de_an_06')).toBe(true);
    expect(inView(row('online_filing', 'UB-01'), 'de_an_06')).toBe(false);
    expect(inView(row('digital_skills', null), 'de_an_06')).toBe(false);
    expect(inView(row('digital_skills', null), 'all')).toBe(true);
  });

  it('buckets a quarter by ISO week, Monday 28/12/2026 falling in week 53', () => {
    const bars = trendBars(
      [{ key: { week: '2026-W53' }, count: 4, citizens: 4 }],
      'week',
      { from: '2026-10-01', to: '2026-12-31' },
      'all',
    );
    expect(bars[0]!.key).toBe('2026-W40');
    expect(bars.at(-1)).toEqual({ key: '2026-W53', label: 'T53', value: 4 });
    expect(bars).toHaveLength(14);
  });

  it('sums a drill-down per volunteer, most first, with names from the reconciliation', () => {
    const rows = [
      { key: { volunteer: 'u1', category: 'vneid_l1', service: null }, count: 2, citizens: 2 },
      { key: { volunteer: 'u2', category: 'vneid_l2', service: null }, count: 3, citizens: 3 },
      { key: { volunteer: 'u1', category: 'can_cuoc', service: null }, count: 2, citizens: 1 },
    ];
    expect(byVolunteer(rows, 'all', [{ volunteerId: 'u2', displayName: 'Bình' }])).toEqual([
      { key: 'u1', label: 'u1', count: 4, citizens: 3 },
      { key: 'u2', label: 'Bình', count: 3, citizens: 3 },
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
