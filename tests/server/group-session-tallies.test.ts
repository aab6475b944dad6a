// Group sessions counted where the commune reports (docs/reporting.md, "Group sessions"), over real
// HTTP on both stores: tallies by topic, hamlet, team and period, attendance by sex × age band,
// targets on sessions and attendees, the report's section and the exports, each equal to a count
// made by hand from SESSIONS; deleted, refused and other communes' sessions are out, and no records
// figure moves when sessions are added.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  ReportSummary,
  SessionTallyResponse,
  TallyResponse,
  TargetsResponse,
} from '../../src/shared/index.ts';
import { SESSION_EXPORT_HEADERS, SESSION_SHEET } from '../../src/server/reporting/export.ts';
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
import { insertSessionRow, type SessionRowInput } from './session-rows.ts';
import { parseCsv } from '../support/csv.ts';
import { sofficeConvert } from '../support/soffice.ts';

const Q2 = 'from=2026-04-01&to=2026-06-30';
type Who = 'demo-tnv' | 'demo-tnv2' | 'demo-lead';

interface Fixture extends Omit<SessionRowInput, 'volunteerId' | 'teamId'> {
  n: number;
  who: Who;
  teamId?: string;
}

// demo-tnv and demo-lead are team-1, demo-tnv2 team-2. Q2 counts 1, 2, 3, 4, 5 and 8.
const SESSIONS: Fixture[] = [
  {
    n: 1,
    who: 'demo-tnv',
    heldOn: '2026-04-02',
    hamletId: 'thon-dong',
    topic: 'digital_skills',
    attendance: { 'female:60_plus': 12, 'male:60_plus': 8 },
  },
  {
    n: 2,
    who: 'demo-tnv',
    heldOn: '2026-04-09',
    hamletId: 'thon-tay',
    topic: 'vneid',
    attendance: { 'female:18_59': 15, 'male:18_59': 10 },
  },
  {
    n: 3,
    who: 'demo-tnv2',
    heldOn: '2026-05-05',
    hamletId: 'thon-dong',
    topic: 'ai_apps',
    attendance: { 'male:14_17': 7, 'female:14_17': 9, 'female:under_14': 4 },
  },
  {
    n: 4,
    who: 'demo-lead',
    heldOn: '2026-05-20',
    hamletId: 'thon-bac',
    topic: 'digital_skills',
    attendance: { 'female:60_plus': 5 },
  },
  {
    n: 5,
    who: 'demo-tnv2',
    heldOn: '2026-06-10',
    hamletId: 'thon-nam',
    topic: 'online_payment',
    attendance: { 'male:18_59': 11, 'female:18_59': 6 },
  },
  // Deleted: never counts.
  {
    n: 6,
    who: 'demo-tnv2',
    heldOn: '2026-06-11',
    hamletId: 'thon-nam',
    topic: 'vneid',
    attendance: { 'female:60_plus': 30 },
    deleted: true,
  },
  // Refused in review: out of every total, counted beside.
  {
    n: 7,
    who: 'demo-tnv',
    heldOn: '2026-06-12',
    hamletId: 'thon-dong',
    topic: 'digital_skills',
    attendance: { 'male:18_59': 9 },
    reviewState: 'rejected',
  },
  {
    n: 8,
    who: 'demo-tnv',
    heldOn: '2026-06-15',
    hamletId: 'thon-tay',
    topic: 'online_safety',
    attendance: { 'female:18_59': 3 },
    reviewState: 'approved',
    place: '=HYPERLINK("x")',
  },
  // Another commune's: never in this commune's figures.
  {
    n: 9,
    who: 'demo-tnv',
    communeCode: '99002',
    teamId: 'team-x',
    heldOn: '2026-04-15',
    hamletId: 'thon-dong',
    topic: 'digital_skills',
    attendance: { 'female:60_plus': 50 },
  },
  // Outside Q2: the next quarter, the previous period and the same quarter last year.
  {
    n: 10,
    who: 'demo-tnv',
    heldOn: '2026-07-01',
    hamletId: 'thon-dong',
    topic: 'vneid',
    attendance: { 'male:18_59': 40 },
  },
  {
    n: 11,
    who: 'demo-tnv2',
    heldOn: '2026-03-20',
    hamletId: 'thon-tay',
    topic: 'vneid',
    attendance: { 'female:18_59': 14 },
  },
  {
    n: 12,
    who: 'demo-tnv',
    heldOn: '2025-04-10',
    hamletId: 'thon-dong',
    topic: 'digital_skills',
    attendance: { 'male:60_plus': 6 },
  },
];

const TEAM: Record<Who, string> = { 'demo-tnv': 'team-1', 'demo-tnv2': 'team-2', 'demo-lead': 'team-1' };

describe.each(STORE_KINDS)('group sessions in the reports on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  let recordsBefore: TallyResponse;
  let reportBefore: ReportSummary;

  async function get<T>(who: string, path: string): Promise<T> {
    const res = await server.request<T>(path, { token: token[who] });
    expect(res.status, res.text).toBe(200);
    return res.body;
  }
  const tally = (who: string, query: string): Promise<SessionTallyResponse> =>
    get<SessionTallyResponse>(who, `/api/v1/tallies/sessions?${query}`);
  const rows = (t: SessionTallyResponse): [string, number, number][] =>
    t.rows.map((r) => [Object.values(r.key).join('|'), r.sessions, r.attendees]);

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs', 'demo-admin']) {
      const login = await server.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
    }
    // A few records, so that "records' figures unchanged" compares something.
    const client = clientId();
    const records = [
      fakeRecord({ occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'can_cuoc', outcome: 'done' }),
      fakeRecord({ occurredOn: '2026-05-05', hamletId: 'thon-tay', category: 'vneid_l1', outcome: 'done' }),
      fakeRecord({ occurredOn: '2026-06-10', hamletId: 'thon-nam', category: 'vneid_l2', outcome: 'done' }),
    ];
    const pushed = await server.push(
      token['demo-tnv'] ?? '',
      client,
      records.map((r, i) => createOf(r, i + 1)),
    );
    expect(pushed.status, pushed.text).toBe(200);
    recordsBefore = await get<TallyResponse>('demo-gs', `/api/v1/tallies?${Q2}&groupBy=hamlet,month`);
    reportBefore = await get<ReportSummary>('demo-gs', `/api/v1/report?${Q2}`);
    for (const s of SESSIONS) {
      const { n: _n, who, ...row } = s;
      await insertSessionRow(db, { ...row, teamId: s.teamId ?? TEAM[who], volunteerId: userId[who] ?? '' });
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('counts sessions and attendees by topic, hamlet, team and period as counted by hand', async () => {
    const total = await tally('demo-gs', Q2);
    expect(total.total).toEqual({ sessions: 6, attendees: 90 });
    expect(total.rejected).toEqual({ sessions: 1, attendees: 9 });
    expect(total.rows).toEqual([]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=topic`))).toEqual([
      ['ai_apps', 1, 20],
      ['digital_skills', 2, 25],
      ['online_payment', 1, 17],
      ['online_safety', 1, 3],
      ['vneid', 1, 25],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=hamlet`))).toEqual([
      ['thon-bac', 1, 5],
      ['thon-dong', 2, 40],
      ['thon-nam', 1, 17],
      ['thon-tay', 2, 28],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=team`))).toEqual([
      ['team-1', 4, 53],
      ['team-2', 2, 37],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=month`))).toEqual([
      ['2026-04', 2, 45],
      ['2026-05', 2, 25],
      ['2026-06', 2, 20],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=week`))).toEqual([
      ['2026-W14', 1, 20],
      ['2026-W15', 1, 25],
      ['2026-W19', 1, 20],
      ['2026-W21', 1, 5],
      ['2026-W24', 1, 17],
      ['2026-W25', 1, 3],
    ]);
    expect(rows(await tally('demo-gs', 'from=2026-01-01&to=2026-12-31&groupBy=quarter'))).toEqual([
      ['2026-Q1', 1, 14],
      ['2026-Q2', 6, 90],
      ['2026-Q3', 1, 40],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=team,month`))).toEqual([
      ['team-1|2026-04', 2, 45],
      ['team-1|2026-05', 1, 5],
      ['team-1|2026-06', 1, 3],
      ['team-2|2026-05', 1, 20],
      ['team-2|2026-06', 1, 17],
    ]);
  });

  it('adds up attendance by sex and age band over the counted sessions only', async () => {
    const t = await tally('demo-gs', Q2);
    expect(t.attendance).toEqual({
      'male:under_14': 0,
      'male:14_17': 7,
      'male:18_59': 21,
      'male:60_plus': 8,
      'female:under_14': 4,
      'female:14_17': 9,
      'female:18_59': 24,
      'female:60_plus': 17,
    });
    expect(Object.values(t.attendance).reduce((a, b) => a + b, 0)).toBe(t.total.attendees);
  });

  it('keeps each role to its scope and filters like the records tally', async () => {
    const lead = await tally('demo-lead', Q2);
    expect([lead.total, lead.rejected]).toEqual([
      { sessions: 4, attendees: 53 },
      { sessions: 1, attendees: 9 },
    ]);
    const own = await tally('demo-tnv', Q2);
    expect(own.total).toEqual({ sessions: 3, attendees: 48 });
    const topic = await tally('demo-gs', `${Q2}&topic=digital_skills`);
    expect([topic.total, topic.rejected]).toEqual([
      { sessions: 2, attendees: 25 },
      { sessions: 1, attendees: 9 },
    ]);
    const hamlet = await tally('demo-gs', `${Q2}&hamlet=thon-tay&team=team-1`);
    expect(hamlet.total).toEqual({ sessions: 2, attendees: 28 });
    const refused = await tally('demo-gs', `${Q2}&reviewState=rejected`);
    expect([refused.total, refused.rejected]).toEqual([
      { sessions: 1, attendees: 9 },
      { sessions: 0, attendees: 0 },
    ]);
    const none = await tally('demo-gs', `${Q2}&reviewState=none`);
    expect(none.total).toEqual({ sessions: 5, attendees: 87 });
  });

  it('answers 400 naming the field for a bad query', async () => {
    for (const [query, field] of [
      [`${Q2}&groupBy=category`, 'groupBy'],
      [`${Q2}&groupBy=topic,topic`, 'groupBy'],
      [`${Q2}&groupBy=topic,hamlet,team,month`, 'groupBy'],
      ['from=2026-06-30&to=2026-04-01', 'to'],
      [`${Q2}&citizen=1`, 'citizen'],
    ] as const) {
      const res = await server.request<{ error: { code: string; details: { fields: { field: string }[] } } }>(
        `/api/v1/tallies/sessions?${query}`,
        { token: token['demo-gs'] },
      );
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.fields.map((f) => f.field)).toContain(field);
    }
  });

  it('leaves every records figure as it was before the sessions', async () => {
    expect(await get('demo-gs', `/api/v1/tallies?${Q2}&groupBy=hamlet,month`)).toEqual(recordsBefore);
    const report = await get<ReportSummary>('demo-gs', `/api/v1/report?${Q2}`);
    expect(report.totals).toEqual(reportBefore.totals);
    expect(report.hamletCategory).toEqual(reportBefore.hamletCategory);
    expect(report.teams).toEqual(reportBefore.teams);
    expect(report.totals.current.count).toBe(3);
  });

  it('gives the report a sessions section: compared totals, by topic, hamlet and team, attendance', async () => {
    const s = (await get<ReportSummary>('demo-gs', `/api/v1/report?${Q2}`)).sessions;
    expect(s?.totals).toEqual({
      current: { sessions: 6, attendees: 90 },
      previous: { sessions: 1, attendees: 14 },
      lastYear: { sessions: 1, attendees: 6 },
    });
    expect(s?.rejected).toEqual({ sessions: 1, attendees: 9 });
    expect(s?.byTopic.map((r) => [r.label, r.sessions, r.attendees])).toEqual([
      ['Kỹ năng số cơ bản', 2, 25],
      ['VNeID và định danh điện tử', 1, 25],
      ['Dịch vụ công trực tuyến', 0, 0],
      ['Thanh toán không dùng tiền mặt', 1, 17],
      ['An toàn trên không gian mạng', 1, 3],
      ['Ứng dụng AI', 1, 20],
    ]);
    expect(s?.byHamlet.map((r) => [r.label, r.sessions, r.attendees])).toEqual([
      ['Thôn Đông', 2, 40],
      ['Thôn Tây', 2, 28],
      ['Thôn Nam', 1, 17],
      ['Thôn Bắc', 1, 5],
    ]);
    expect(s?.byTeam.map((r) => [r.label, r.sessions, r.attendees])).toEqual([
      ['Tổ CNS số 1', 4, 53],
      ['Tổ CNS số 2', 2, 37],
    ]);
    expect(s?.attendance['female:60_plus']).toBe(17);
    const lead = (await get<ReportSummary>('demo-lead', `/api/v1/report?${Q2}`)).sessions;
    expect(lead?.totals.current).toEqual({ sessions: 4, attendees: 53 });
    expect(lead?.byTeam.map((r) => [r.id, r.sessions])).toEqual([['team-1', 4]]);
  });

  it('sets targets on sessions and attendees and counts their progress in their own scope', async () => {
    const put = async (body: Record<string, unknown>): Promise<{ status: number; text: string }> =>
      server.request('/api/v1/targets', { method: 'PUT', token: token['demo-admin'], body });
    const period = { from: '2026-04-01', to: '2026-06-30' };
    expect((await put({ period, category: 'group_sessions', target: 10 })).status).toBe(200);
    expect((await put({ period, category: 'group_attendees', teamId: 'team-2', target: 100 })).status).toBe(
      200,
    );
    expect(
      (
        await put({
          period,
          category: 'group_sessions',
          hamletId: 'thon-dong',
          target: 4,
          label: 'Thôn Đông',
        })
      ).status,
    ).toBe(200);
    const withOutcome = await put({ period, category: 'group_sessions', outcome: 'done', target: 5 });
    expect(withOutcome.status, withOutcome.text).toBe(400);
    expect(withOutcome.text).toContain('not_for_sessions');
    expect((await put({ period, category: 'group_people', target: 5 })).status).toBe(400);
    // Only the admin sets targets, as for records.
    const bySupervisor = await server.request('/api/v1/targets', {
      method: 'PUT',
      token: token['demo-gs'],
      body: { period, category: 'group_sessions', target: 3 },
    });
    expect(bySupervisor.status).toBe(403);

    const { targets } = await get<TargetsResponse>('demo-gs', `/api/v1/targets?${Q2}`);
    const of = (category: string, scope: string | null): [number, string] | undefined => {
      const t = targets.find((x) => x.category === category && (x.teamId ?? x.hamletId) === scope);
      return t && [t.achieved, t.text];
    };
    expect(of('group_sessions', null)).toEqual([6, '6/10, đạt 60,00 %']);
    expect(of('group_attendees', 'team-2')).toEqual([37, '37/100, đạt 37,00 %']);
    expect(of('group_sessions', 'thon-dong')).toEqual([2, '2/4, đạt 50,00 %']);
    const report = await get<ReportSummary>('demo-gs', `/api/v1/report?${Q2}`);
    const inReport = report.targets.filter((t) => t.category.startsWith('group_'));
    expect(inReport.map((t) => [t.category, t.scope.label, t.achieved]).sort()).toEqual([
      ['group_attendees', 'Tổ CNS số 2', 37],
      ['group_sessions', 'Thôn Đông', 2],
      ['group_sessions', 'Toàn xã', 6],
    ]);
    // A lead sees the commune's and hamlets' targets, not another team's.
    const lead = await get<TargetsResponse>('demo-lead', `/api/v1/targets?${Q2}`);
    expect(lead.targets.some((t) => t.teamId === 'team-2')).toBe(false);
  });

  async function download(who: string, path: string): Promise<Uint8Array> {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token[who]}` } });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }

  it('adds the sheet "Buổi sinh hoạt nhóm" to the XLSX: one row per counted session, then the total', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Uint8Array.from(await download('demo-gs', `/api/v1/export/logs.xlsx?${Q2}`)).buffer);
    const sheet = wb.getWorksheet(SESSION_SHEET);
    expect(sheet, wb.worksheets.map((w) => w.name).join(', ')).toBeDefined();
    const values: unknown[][] = [];
    sheet?.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values[0]).toEqual(SESSION_EXPORT_HEADERS);
    expect(values).toHaveLength(1 + 6 + 1);
    const col = (h: string): number => SESSION_EXPORT_HEADERS.indexOf(h);
    const first = values[1] ?? [];
    expect(first[col('Ngày tổ chức')]).toEqual(new Date('2026-04-02T00:00:00Z'));
    expect(first[col('Thôn/ấp')]).toBe('Thôn Đông');
    expect(first[col('Chủ đề')]).toBe('Kỹ năng số cơ bản');
    expect(first[col('Nữ, Từ 60 tuổi')]).toBe(12);
    expect(first[col('Nam, Từ 60 tuổi')]).toBe(8);
    expect(first[col('Tổng số người tham dự')]).toBe(20);
    expect(first[col('Tổ')]).toBe('Tổ CNS số 1');
    const last = values[6] ?? [];
    expect(last[col('Trạng thái duyệt')]).toBe('Đã duyệt');
    expect(last[col('Địa điểm')]).toBe('\'=HYPERLINK("x")');
    const total = values[7] ?? [];
    expect([total[0], total[col('Tổng số người tham dự')], total[col('Nữ, Từ 60 tuổi')]]).toEqual([
      'Tổng',
      90,
      17,
    ]);
    // The log's sheet still holds only records.
    expect(wb.getWorksheet('Nhật ký hỗ trợ')?.actualRowCount).toBe(1 + 3);

    const lead = new ExcelJS.Workbook();
    await lead.xlsx.load(
      Uint8Array.from(await download('demo-lead', `/api/v1/export/logs.xlsx?${Q2}`)).buffer,
    );
    expect(lead.getWorksheet(SESSION_SHEET)?.actualRowCount).toBe(1 + 4 + 1);
  });

  it('exports the sessions as a CSV of their own', async () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await download('demo-gs', `/api/v1/export/sessions.csv?${Q2}`),
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    const csv = parseCsv(text.slice(1));
    expect(csv[0]).toEqual(SESSION_EXPORT_HEADERS);
    const body = csv.slice(1).filter((r) => r.length > 1);
    expect(body.map((r) => [r[0], r[SESSION_EXPORT_HEADERS.indexOf('Tổng số người tham dự')]])).toEqual([
      ['2026-04-02', '20'],
      ['2026-04-09', '25'],
      ['2026-05-05', '20'],
      ['2026-05-20', '5'],
      ['2026-06-10', '17'],
      ['2026-06-15', '3'],
    ]);
    const refused = parseCsv(
      new TextDecoder('utf-8', { ignoreBOM: true })
        .decode(await download('demo-gs', `/api/v1/export/sessions.csv?${Q2}&reviewState=rejected`))
        .slice(1),
    ).filter((r) => r.length > 1);
    expect(refused).toHaveLength(2);
  });

  it('Calc reads the sessions sheet: Vietnamese text, days, numbers', async () => {
    const xlsx = await download('demo-gs', `/api/v1/export/logs.xlsx?${Q2}`);
    const out = await sofficeConvert(
      'bao-cao.xlsx',
      xlsx,
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
    );
    const file = out.get(`bao-cao-${SESSION_SHEET}.csv`);
    expect(file, [...out.keys()].join(', ')).toBeDefined();
    const rows = parseCsv(file?.toString('utf8').replaceAll(/\r?\n/g, '\r\n') ?? '');
    expect(rows[0]).toEqual(SESSION_EXPORT_HEADERS);
    expect(rows[1]?.slice(0, 2)).toEqual(['02/04/2026', 'Thôn Đông']);
    expect(rows[1]?.[2]).toMatch(/^Nhà văn hóa số \d+$/);
    expect(rows[1]?.[3]).toBe('Kỹ năng số cơ bản');
    expect(rows[1]?.[SESSION_EXPORT_HEADERS.indexOf('Tổng số người tham dự')]).toBe('20');
    expect(rows.at(-1)?.[0]).toBe('Tổng');
  });
});
