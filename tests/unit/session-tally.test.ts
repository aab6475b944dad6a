// The pure counting of group sessions (src/server/reporting/sessions.ts and the report's section in
// summary.ts): what counts by review state, periods named as records' tallies name them (an ISO
// week across the new year), and the report's rows in the commune's order with zeros, a retired
// topic or another hamlet only when a session names it.
import { describe, expect, it } from 'vitest';
import { isoWeek, type SessionTopic } from '../../src/shared/index.ts';
import { tallySessions } from '../../src/server/reporting/sessions.ts';
import { reportPeriods, sessionSection, type ReportInputs } from '../../src/server/reporting/summary.ts';
import type { SessionReportRow } from '../../src/server/store/store.ts';

let n = 0;
function session(o: Partial<SessionReportRow> & { attendance?: Record<string, number> }): SessionReportRow {
  n += 1;
  const attendance = o.attendance ?? { 'female:18_59': 4 };
  return {
    id: `s-${n}`,
    teamId: o.teamId ?? 't1',
    volunteerId: 'u1',
    heldOn: o.heldOn ?? '2026-11-02',
    hamletId: o.hamletId ?? 'h1',
    topic: o.topic ?? 'vneid',
    attendees: Object.values(attendance).reduce((a, b) => a + b, 0),
    reviewState: o.reviewState ?? null,
    data: { attendance },
  };
}

describe('tallySessions', () => {
  const rows = [
    session({ heldOn: '2025-12-29', attendance: { 'male:60_plus': 3 } }),
    session({ heldOn: '2026-01-04', reviewState: 'approved', attendance: { 'female:60_plus': 5 } }),
    session({ heldOn: '2026-01-05', reviewState: 'rejected', attendance: { 'male:18_59': 9 } }),
    session({ heldOn: '2026-03-31', reviewState: 'has_issues', attendance: { 'female:14_17': 2 } }),
  ];

  it('counts live sessions not refused, and the refused ones beside', () => {
    const t = tallySessions(rows, []);
    expect(t.total).toEqual({ sessions: 3, attendees: 10 });
    expect(t.rejected).toEqual({ sessions: 1, attendees: 9 });
    expect(t.attendance['male:18_59']).toBe(0);
    expect(t.attendance['female:60_plus']).toBe(5);
  });

  it('selects exactly the review state asked for, with nothing beside', () => {
    expect(tallySessions(rows, [], 'rejected')).toMatchObject({
      total: { sessions: 1, attendees: 9 },
      rejected: { sessions: 0, attendees: 0 },
    });
    expect(tallySessions(rows, [], 'none').total).toEqual({ sessions: 1, attendees: 3 });
  });

  it('names weeks, months and quarters as the records tally does', () => {
    const weeks = tallySessions(rows, ['week']).rows.map((r) => [r.key.week, r.sessions]);
    expect(weeks).toEqual([
      ['2026-W01', 2],
      ['2026-W14', 1],
    ]);
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
    expect(tallySessions(rows, ['quarter', 'month']).rows.map((r) => Object.values(r.key))).toEqual([
      ['2025-Q4', '2025-12'],
      ['2026-Q1', '2026-01'],
      ['2026-Q1', '2026-03'],
    ]);
  });
});

describe("the report's sessions section", () => {
  function inputs(topics: SessionTopic[], current: SessionReportRow[]): ReportInputs {
    const empty = { rows: [], total: { count: 0, citizens: 0 }, rejected: 0 };
    const compared = { categories: empty, services: empty, outcomes: empty, teams: empty };
    return {
      view: 'all',
      scope: { kind: 'commune', id: '99001', label: 'Toàn xã' },
      periods: reportPeriods({ from: '2026-11-01', to: '2026-11-30' }),
      asOf: null,
      generatedAt: '2026-12-01T00:00:00.000Z',
      hamlets: [
        { id: 'h1', name: 'Thôn Một', active: true },
        { id: 'h2', name: 'Thôn Hai', active: true },
        { id: 'h9', name: 'Thôn Cũ', active: false },
      ],
      teams: [{ id: 't1', name: 'Tổ CNS số 1' }],
      teamNames: new Map([
        ['t1', 'Tổ CNS số 1'],
        ['t2', 'Tổ CNS số 2'],
      ]),
      people: new Map(),
      current: {
        hamletCategory: empty,
        servicePaid: empty,
        outcomes: empty,
        failReasons: empty,
        teams: empty,
        teamVolunteerDay: empty,
        volunteers: empty,
      },
      previous: compared,
      lastYear: compared,
      targets: [],
      communeCode: '99001',
      settings: null,
      sessions: { current, previous: [session({ heldOn: '2026-10-10' })], lastYear: [], topics },
    };
  }

  it('lists the commune topics in order with zeros, a retired one only when named, then the rest', () => {
    const topics: SessionTopic[] = [
      { code: 'ai_apps', label: 'AI cho bà con', active: true },
      { code: 'old', label: 'Chủ đề cũ', active: false },
      { code: 'unused_old', label: 'Không dùng nữa', active: false },
      { code: 'vneid', label: 'VNeID', active: true },
    ];
    const s = sessionSection(inputs(topics, [session({ topic: 'old' }), session({ topic: 'vneid' })]), [
      { id: 'h1', name: 'Thôn Một' },
      { id: 'h2', name: 'Thôn Hai' },
    ]);
    expect(s?.byTopic.map((r) => [r.label, r.sessions])).toEqual([
      ['AI cho bà con', 0],
      ['Chủ đề cũ', 1],
      ['VNeID', 1],
    ]);
    expect(s?.totals).toEqual({
      current: { sessions: 2, attendees: 8 },
      previous: { sessions: 1, attendees: 4 },
      lastYear: { sessions: 0, attendees: 0 },
    });
  });

  it('uses the default topics without a list, and names a retired hamlet and another team', () => {
    const s = sessionSection(
      inputs([], [session({ hamletId: 'h9', teamId: 't2' }), session({ hamletId: 'h1' })]),
      [
        { id: 'h1', name: 'Thôn Một' },
        { id: 'h2', name: 'Thôn Hai' },
      ],
    );
    expect(s?.byTopic).toHaveLength(6);
    expect(s?.byHamlet.map((r) => [r.label, r.sessions])).toEqual([
      ['Thôn Một', 1],
      ['Thôn Hai', 0],
      ['Thôn Cũ', 1],
    ]);
    expect(s?.byTeam.map((r) => [r.label, r.sessions])).toEqual([
      ['Tổ CNS số 1', 1],
      ['Tổ CNS số 2', 1],
    ]);
  });

  it('is absent when the inputs hold no sessions (a store read without them)', () => {
    const i = inputs([], []);
    delete i.sessions;
    expect(sessionSection(i, [])).toBeUndefined();
  });
});
