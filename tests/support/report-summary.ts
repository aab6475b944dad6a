// A consistent ReportSummary for screen and printout tests: built from a few generated hamlet ×
// category cells so every total agrees with its parts, the way the server's answer does.
import {
  ATTENDANCE_CELLS,
  CATEGORIES,
  DEFAULT_REPORT_SETTINGS,
  FAIL_REASONS,
  OUTCOMES,
  SERVICE_CATALOGUE,
  formatProgressVi,
  percentOf,
  type AttendanceCell,
  type ReportSessions,
  type ReportSummary,
} from '../../src/shared/index.ts';

export interface SummaryOptions {
  scope?: ReportSummary['scope'];
  view?: ReportSummary['view'];
  period?: { from: string; to: string };
  asOf?: string | null;
  /** With a group sessions' section (a server that has sessions). */
  sessions?: boolean;
}

/** Cells: hamlet a gets 3 + i of category i, hamlet b gets 2 × i, for the first five categories. */
export function makeReportSummary(o: SummaryOptions = {}): ReportSummary {
  const hamlets = [
    { id: 'h-a', name: 'Thôn Đông' },
    { id: 'h-b', name: 'Thôn Tây' },
  ];
  const cats = CATEGORIES.slice(0, 5).map((c) => c.code as string);
  const hamletCategory = cats.flatMap((category, i) => [
    { hamletId: 'h-a', category, count: 3 + i },
    ...(i > 0 ? [{ hamletId: 'h-b', category, count: 2 * i }] : []),
  ]);
  const byCat = (c: string) =>
    hamletCategory.filter((x) => x.category === c).reduce((n, x) => n + x.count, 0);
  const count = hamletCategory.reduce((n, x) => n + x.count, 0);
  const services = SERVICE_CATALOGUE.services.map((s, i) => {
    const current = i < 4 ? 4 - i : 0;
    return {
      code: s.code,
      name: s.name,
      agency: s.agency,
      count: { current, previous: current ? current - 1 : 0, lastYear: 0 },
      paidOnline: Math.floor(current / 2),
    };
  });
  const withService = services.reduce((n, s) => n + s.count.current, 0);
  const paidOnline = services.reduce((n, s) => n + s.paidOnline, 0);
  const outcomeCounts = [count - 6, 2, 2, 1, 1];
  const target = 40;
  const achieved = byCat('can_cuoc');
  return {
    view: o.view ?? 'all',
    scope: o.scope ?? { kind: 'commune', id: '26734', label: 'Toàn xã' },
    period: o.period ?? { from: '2026-11-01', to: '2026-11-30' },
    previousPeriod: { from: '2026-10-01', to: '2026-10-31' },
    lastYearPeriod: { from: '2025-11-01', to: '2025-11-30' },
    asOf: o.asOf === undefined ? null : o.asOf,
    generatedAt: '2026-12-01T02:00:00.000Z',
    totals: {
      current: { count, citizens: count - 5, rejected: 3 },
      previous: { count: count - 7, citizens: count - 10, rejected: 1 },
      lastYear: { count: 4, citizens: 4, rejected: 0 },
    },
    hamlets,
    hamletCategory,
    categories: CATEGORIES.map((c) => ({
      category: c.code,
      count: { current: byCat(c.code), previous: Math.max(byCat(c.code) - 1, 0), lastYear: 0 },
    })),
    services,
    payment: { withService, paidOnline, percent: percentOf(paidOnline, withService) },
    outcomes: OUTCOMES.map((x, i) => ({
      outcome: x.code,
      count: { current: outcomeCounts[i] ?? 0, previous: 0, lastYear: 0 },
    })),
    failReasons: FAIL_REASONS.map((r, i) => ({ reason: r.code, count: i === 0 ? 1 : 0 })),
    teams: [
      {
        teamId: 't-1',
        name: 'Tổ CNS số 1',
        count: { current: count - 8, previous: 10, lastYear: 4 },
        citizens: count - 12,
        activeVolunteers: 2,
      },
      {
        teamId: 't-2',
        name: 'Tổ CNS số 2',
        count: { current: 8, previous: 3, lastYear: 0 },
        citizens: 7,
        activeVolunteers: 1,
      },
    ],
    volunteers: [
      { id: 'v-1', name: 'Tình nguyện viên Một', team: 't-1', n: count - 18, days: 6, c: count - 20 },
      { id: 'v-2', name: 'Tình nguyện viên Hai', team: 't-1', n: 10, days: 4, c: 9 },
      { id: 'v-3', name: 'Tình nguyện viên Ba', team: 't-2', n: 8, days: 2, c: 7 },
    ].map((v, i) => ({
      volunteerId: v.id,
      name: v.name,
      teamId: v.team,
      teamName: v.team === 't-1' ? 'Tổ CNS số 1' : 'Tổ CNS số 2',
      count: v.n,
      citizens: v.c,
      activeDays: v.days,
      perActiveDay: v.n / v.days,
      rank: i + 1,
    })),
    targets: [
      {
        id: 'tg-1',
        period: { from: '2026-01-01', to: '2026-12-31' },
        category: 'can_cuoc',
        outcome: null,
        hamletId: null,
        teamId: null,
        label: null,
        target,
        achieved,
        percent: percentOf(achieved, target),
        text: formatProgressVi(achieved, target),
        scope: { kind: 'commune', id: '26734', label: 'Toàn xã' },
      },
    ],
    settings: { ...DEFAULT_REPORT_SETTINGS, signerName: 'Người Ký Thử' },
    ...(o.sessions ? { sessions: makeReportSessions() } : {}),
  };
}

/** Made-up group sessions whose parts add up to their totals, as the server's answer does. */
export function makeReportSessions(): ReportSessions {
  const cells = [10, 20, 40, 35, 8, 22, 45, 33];
  return {
    totals: {
      current: { sessions: 9, attendees: 213 },
      previous: { sessions: 6, attendees: 150 },
      lastYear: { sessions: 2, attendees: 40 },
    },
    rejected: { sessions: 1, attendees: 12 },
    byTopic: [
      { id: 'digital_skills', label: 'Kỹ năng số cơ bản', sessions: 5, attendees: 120 },
      { id: 'vneid', label: 'VNeID và định danh điện tử', sessions: 3, attendees: 75 },
      { id: 'ai_apps', label: 'Ứng dụng AI', sessions: 1, attendees: 18 },
    ],
    byHamlet: [
      { id: 'h-a', label: 'Thôn Đông', sessions: 6, attendees: 150 },
      { id: 'h-b', label: 'Thôn Tây', sessions: 3, attendees: 63 },
    ],
    byTeam: [
      { id: 'team-1', label: 'Tổ CNS số 1', sessions: 7, attendees: 170 },
      { id: 'team-2', label: 'Tổ CNS số 2', sessions: 2, attendees: 43 },
    ],
    attendance: Object.fromEntries(ATTENDANCE_CELLS.map((c, i) => [c, cells[i] ?? 0])) as Record<
      AttendanceCell,
      number
    >,
  };
}
