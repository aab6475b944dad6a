// The pure part of the report (src/server/reporting/summary.ts): periods, ranking, settings read
// back, and the summary shaped from tallies given by hand.
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  DEFAULT_REPORT_SETTINGS,
  FAIL_REASONS,
  OUTCOMES,
  SERVICE_CATALOGUE,
  type TallyResponse,
  type TallyRow,
} from '../../src/shared/index.ts';
import {
  asOfDay,
  daysIn,
  rankVolunteers,
  readSettings,
  reportPeriods,
  shapeReport,
  talliesAgree,
  yearBefore,
  type ComparedTallies,
  type ReportInputs,
} from '../../src/server/reporting/summary.ts';

describe('report periods', () => {
  it('compares with the same number of days just before, and the same days a year before', () => {
    expect(reportPeriods({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      period: { from: '2026-11-01', to: '2026-11-30' },
      previousPeriod: { from: '2026-10-02', to: '2026-10-31' },
      lastYearPeriod: { from: '2025-11-01', to: '2025-11-30' },
    });
    expect(reportPeriods({ from: '2026-01-01', to: '2026-01-07' }).previousPeriod).toEqual({
      from: '2025-12-25',
      to: '2025-12-31',
    });
    expect(reportPeriods({ from: '2026-03-05', to: '2026-03-05' }).previousPeriod).toEqual({
      from: '2026-03-04',
      to: '2026-03-04',
    });
    // A leap year's 1 March–31 May is 92 days, the days before it include 29 February.
    expect(reportPeriods({ from: '2028-03-01', to: '2028-05-31' }).previousPeriod).toEqual({
      from: '2027-11-30',
      to: '2028-02-29',
    });
  });

  it('turns 29 February into 28 February a year before', () => {
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
    expect(yearBefore('2028-02-28')).toBe('2027-02-28');
    expect(yearBefore('2026-12-31')).toBe('2025-12-31');
    expect(reportPeriods({ from: '2028-02-01', to: '2028-02-29' }).lastYearPeriod).toEqual({
      from: '2027-02-01',
      to: '2027-02-28',
    });
    expect(daysIn({ from: '2028-01-01', to: '2028-12-31' })).toBe(366);
  });

  it('stands the figures at the commune’s today while the period is not over', () => {
    // 18:00 UTC on 31 December is already 1 January in the commune (UTC+7).
    const now = new Date('2026-12-31T18:00:00Z');
    expect(asOfDay('2026-12-31', now)).toBeNull();
    expect(asOfDay('2027-01-01', now)).toBe('2027-01-01');
    expect(asOfDay('2027-03-31', now)).toBe('2027-01-01');
  });
});

describe('ranking and settings', () => {
  it('ranks by records, equal counts sharing a rank', () => {
    const row = (id: string, count: number) => ({
      volunteerId: id,
      name: `Người ${id}`,
      teamId: null,
      teamName: null,
      count,
      citizens: 0,
      activeDays: 1,
      perActiveDay: count,
    });
    const ranked = rankVolunteers([row('c', 5), row('a', 9), row('d', 1), row('b', 5)]);
    expect(ranked.map((r) => [r.volunteerId, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('reads stored settings back, a missing field taking its default', () => {
    expect(readSettings(null)).toEqual(DEFAULT_REPORT_SETTINGS);
    expect(readSettings({ signerName: 'Người Ký' })).toEqual({
      ...DEFAULT_REPORT_SETTINGS,
      signerName: 'Người Ký',
    });
    expect(readSettings({ numberSuffix: 'có dấu cách', signerTitle: 'CHỦ TỊCH UBND', dropped: 1 })).toEqual({
      ...DEFAULT_REPORT_SETTINGS,
      signerTitle: 'CHỦ TỊCH UBND',
    });
  });
});

const tally = (rows: TallyRow[], rejected = 0, citizens = 0): TallyResponse => ({
  rows,
  total: { count: rows.reduce((n, r) => n + r.count, 0), citizens },
  rejected,
});
const row = (key: TallyRow['key'], count: number, citizens = 0): TallyRow => ({ key, count, citizens });
const empty: ComparedTallies = {
  categories: tally([]),
  services: tally([]),
  outcomes: tally([]),
  teams: tally([]),
};

function inputs(): ReportInputs {
  return {
    view: 'all',
    scope: { kind: 'commune', id: '99001', label: 'Toàn xã' },
    periods: reportPeriods({ from: '2026-11-01', to: '2026-11-30' }),
    asOf: null,
    generatedAt: '2026-12-01T00:00:00.000Z',
    hamlets: [
      { id: 'h1', name: 'Thôn Một', active: true },
      { id: 'h2', name: 'Thôn Hai', active: false },
      { id: 'h3', name: 'Thôn Ba', active: false },
    ],
    teams: [
      { id: 't1', name: 'Tổ CNS số 1' },
      { id: 't2', name: 'Tổ CNS số 2' },
    ],
    teamNames: new Map([
      ['t1', 'Tổ CNS số 1'],
      ['t2', 'Tổ CNS số 2'],
    ]),
    people: new Map([
      ['v1', { name: 'Người Một', teamId: 't2' }],
      ['v2', { name: 'Người Hai', teamId: 't1' }],
    ]),
    current: {
      hamletCategory: tally(
        [row({ hamlet: 'h1', category: 'can_cuoc' }, 3), row({ hamlet: 'h2', category: 'online_filing' }, 2)],
        4,
        4,
      ),
      servicePaid: tally([
        row({ service: null, paidOnline: null }, 3),
        row({ service: 'CA-03', paidOnline: true }, 1),
        row({ service: 'CA-03', paidOnline: false }, 1),
      ]),
      outcomes: tally([row({ outcome: 'done' }, 4), row({ outcome: 'failed' }, 1)]),
      failReasons: tally([row({ failReason: null }, 4), row({ failReason: 'no_signal' }, 1)]),
      teams: tally([row({ team: 't1' }, 5, 4)]),
      // v1 moved from t1 to t2 but logged most of the period's records in t1.
      teamVolunteerDay: tally([
        row({ team: 't1', volunteer: 'v1', day: '2026-11-02' }, 2),
        row({ team: 't1', volunteer: 'v1', day: '2026-11-03' }, 1),
        row({ team: 't1', volunteer: 'v2', day: '2026-11-03' }, 2),
      ]),
      volunteers: tally([row({ volunteer: 'v1' }, 3, 2), row({ volunteer: 'v2' }, 2, 2)]),
    },
    previous: { ...empty, categories: tally([row({ category: 'can_cuoc' }, 7)], 1, 6) },
    lastYear: empty,
    targets: [
      {
        target: {
          id: 'g1',
          communeCode: '99001',
          period: { from: '2026-11-01', to: '2026-11-30' },
          category: 'can_cuoc',
          outcome: null,
          hamletId: 'h1',
          teamId: null,
          target: 4,
          label: null,
        },
        achieved: 3,
      },
    ],
    communeCode: '99001',
    settings: { signerName: 'Người Ký' },
  };
}

describe('the summary shaped from tallies', () => {
  it('fills every list in catalogue order, zeros included, and keeps figures shown twice equal', () => {
    const s = shapeReport(inputs());
    expect(s.totals.current).toEqual({ count: 5, citizens: 4, rejected: 4 });
    expect(s.totals.previous).toEqual({ count: 7, citizens: 6, rejected: 1 });
    expect(s.categories.map((c) => c.category)).toEqual(CATEGORIES.map((c) => c.code));
    expect(s.categories.find((c) => c.category === 'can_cuoc')?.count).toEqual({
      current: 3,
      previous: 7,
      lastYear: 0,
    });
    expect(s.services).toHaveLength(SERVICE_CATALOGUE.services.length);
    expect(s.services.find((x) => x.code === 'CA-03')).toMatchObject({
      count: { current: 2 },
      paidOnline: 1,
    });
    expect(s.payment).toEqual({ withService: 2, paidOnline: 1, percent: 50 });
    expect(s.outcomes.map((o) => o.outcome)).toEqual(OUTCOMES.map((o) => o.code));
    expect(s.failReasons).toEqual(
      FAIL_REASONS.map((r) => ({ reason: r.code, count: r.code === 'no_signal' ? 1 : 0 })),
    );
    // A retired hamlet is listed only when records name it.
    expect(s.hamlets).toEqual([
      { id: 'h1', name: 'Thôn Một' },
      { id: 'h2', name: 'Thôn Hai' },
    ]);
    expect(s.teams).toEqual([
      {
        teamId: 't1',
        name: 'Tổ CNS số 1',
        count: { current: 5, previous: 0, lastYear: 0 },
        citizens: 4,
        activeVolunteers: 2,
      },
      {
        teamId: 't2',
        name: 'Tổ CNS số 2',
        count: { current: 0, previous: 0, lastYear: 0 },
        citizens: 0,
        activeVolunteers: 0,
      },
    ]);
    expect(s.volunteers).toEqual([
      {
        volunteerId: 'v1',
        name: 'Người Một',
        teamId: 't1',
        teamName: 'Tổ CNS số 1',
        count: 3,
        citizens: 2,
        activeDays: 2,
        perActiveDay: 1.5,
        rank: 1,
      },
      {
        volunteerId: 'v2',
        name: 'Người Hai',
        teamId: 't1',
        teamName: 'Tổ CNS số 1',
        count: 2,
        citizens: 2,
        activeDays: 1,
        perActiveDay: 2,
        rank: 2,
      },
    ]);
    expect(s.targets[0]).toMatchObject({
      achieved: 3,
      percent: 75,
      text: '3/4, đạt 75,00 %',
      scope: { kind: 'hamlet', id: 'h1', label: 'Thôn Một' },
    });
    expect(s.settings).toEqual({ ...DEFAULT_REPORT_SETTINGS, signerName: 'Người Ký' });
  });

  it('tells tallies read across a write apart', () => {
    const i = inputs();
    expect(talliesAgree(i.current)).toBe(true);
    i.current.outcomes = tally([row({ outcome: 'done' }, 6)]);
    expect(talliesAgree(i.current)).toBe(false);
  });
});
