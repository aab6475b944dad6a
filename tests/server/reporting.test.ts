// Tallies, targets, review, reconciliation and exports over real HTTP on both stores, against a
// small fixture whose counts were made by hand (docs/reporting.md).
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatNumberVi,
  formatProgressVi,
  isoWeek,
  type LogRecord,
  type DrillResponse,
  type ReconciliationResponse,
  type ReviewResponse,
  type TallyResponse,
  type TargetsResponse,
} from '../../src/shared/index.ts';
import { EXPORT_HEADERS, LOG_SHEET, safeCell } from '../../src/server/reporting/export.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { parseCsv } from '../support/csv.ts';

// Four citizens, by generated ID number: each fixture create seals its number as a phone does.
const K1 = fakeIdNumber();
const K2 = fakeIdNumber();
const K3 = fakeIdNumber();
const K4 = fakeIdNumber();

type Who = 'demo-tnv' | 'demo-tnv2' | 'demo-lead';
interface Fixture {
  n: number;
  who: Who;
  record: Partial<LogRecord>;
  /** The citizen's ID number, typed with consent. */
  citizen?: string;
  deleted?: boolean;
}

/** The fixture. Counts in the tests below were made by hand from this table. */
const FIXTURE: Fixture[] = [
  {
    n: 1,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 2,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 3,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-06',
      hamletId: 'thon-tay',
      category: 'vneid_l1',
      outcome: 'done',
    },
    citizen: K2,
  },
  {
    n: 4,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-11',
      hamletId: 'thon-dong',
      category: 'vneid_l1',
      outcome: 'failed',
      failReason: 'no_smartphone',
    },
    citizen: K3,
  },
  {
    n: 5,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-12',
      hamletId: 'thon-nam',
      category: 'online_filing',
      outcome: 'submitted',
      serviceCode: 'CA-03',
    },
    citizen: K1,
  },
  {
    n: 6,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-02-01',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
      note: '=HYPERLINK("http://x")',
    },
  },
  {
    n: 7,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-02-02',
      hamletId: 'thon-tay',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K4,
    deleted: true,
  },
  {
    n: 8,
    who: 'demo-tnv',
    record: {
      occurredOn: '2025-12-31',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 9,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-bac',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K2,
  },
  {
    n: 10,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-07',
      hamletId: 'thon-bac',
      category: 'vneid_l1',
      outcome: 'done',
      note: '+84 912',
    },
    citizen: K2,
  },
  {
    n: 11,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-20',
      hamletId: 'thon-dong',
      category: 'app_install',
      outcome: 'done',
      note: '-1, "a"',
    },
  },
  {
    n: 12,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-02-15',
      hamletId: 'thon-bac',
      category: 'can_cuoc',
      outcome: 'follow_up',
    },
    citizen: K3,
    deleted: true,
  },
  {
    n: 13,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-03-01',
      hamletId: 'thon-tay',
      category: 'digital_skills',
      outcome: 'done',
      note: '@SUM(A1)',
    },
    citizen: K4,
  },
  {
    n: 14,
    who: 'demo-lead',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K4,
  },
  {
    n: 15,
    who: 'demo-lead',
    record: {
      occurredOn: '2026-02-10',
      hamletId: 'thon-nam',
      category: 'vneid_l1',
      outcome: 'referred',
    },
    citizen: K1,
  },
];
const Q1 = 'from=2026-01-01&to=2026-03-31';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  const client: Record<string, string> = {};
  const ids: Record<number, string> = {};

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs', 'demo-admin']) {
      const login = await server.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
      client[u] = clientId();
    }
    const seq: Record<string, number> = {};
    const contactKey = (await server.login('demo-tnv')).commune.contactKey;
    for (const f of FIXTURE) {
      const r = fakeRecord({ place: 'hamlet_hall', note: `Bản ghi số ${f.n}`, ...f.record });
      if (f.citizen) Object.assign(r, await sealedCitizen(contactKey, r.id, f.citizen));
      ids[f.n] = r.id;
      seq[f.who] = (seq[f.who] ?? 0) + 1;
      const res = await server.push(token[f.who] ?? '', client[f.who] ?? '', [createOf(r, seq[f.who] ?? 1)]);
      expect(res.body.results[0]?.status, JSON.stringify(res.body)).toBe('applied');
      if (f.deleted) {
        seq[f.who] = (seq[f.who] ?? 0) + 1;
        const del = await server.push(token[f.who] ?? '', client[f.who] ?? '', [
          deleteOf(r.id, seq[f.who] ?? 1, res.body.results[0]?.version ?? null),
        ]);
        expect(del.body.results[0]?.status).toBe('applied');
      }
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function tally(who: string, query: string): Promise<TallyResponse> {
    const res = await server.request<TallyResponse>(`/api/v1/tallies?${query}`, { token: token[who] });
    expect(res.status, res.text).toBe(200);
    return res.body;
  }
  const rows = (t: TallyResponse): [string, number, number][] =>
    t.rows.map((r) => [Object.values(r.key).join('|'), r.count, r.citizens]);

  describe('tallies', () => {
    it('count live records in the period and distinct citizens, deleted and out-of-period ones left out', async () => {
      const t = await tally('demo-gs', Q1);
      expect(t.total).toEqual({ count: 12, citizens: 4 });
      expect(t.rows).toEqual([]);
    });

    it('group by hamlet', async () => {
      const t = await tally('demo-gs', `${Q1}&groupBy=hamlet`);
      expect(t.rows[0]?.key).toEqual({ hamlet: 'thon-bac' });
      expect(rows(t)).toEqual([
        ['thon-bac', 2, 1],
        ['thon-dong', 6, 3],
        ['thon-nam', 2, 1],
        ['thon-tay', 2, 2],
      ]);
    });

    it('group by team and by volunteer', async () => {
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=team`))).toEqual([
        ['team-1', 8, 4],
        ['team-2', 4, 2],
      ]);
      const byVolunteer = await tally('demo-gs', `${Q1}&groupBy=volunteer`);
      const m = new Map(byVolunteer.rows.map((r) => [r.key.volunteer, [r.count, r.citizens]]));
      expect(m.get(userId['demo-tnv'])).toEqual([6, 3]);
      expect(m.get(userId['demo-tnv2'])).toEqual([4, 2]);
      expect(m.get(userId['demo-lead'])).toEqual([2, 2]);
      expect(m.size).toBe(3);
    });

    it('group by category, service and outcome (a missing service is a null key)', async () => {
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=category`))).toEqual([
        ['app_install', 1, 0],
        ['can_cuoc', 5, 3],
        ['digital_skills', 1, 1],
        ['online_filing', 1, 1],
        ['vneid_l1', 4, 3],
      ]);
      const service = await tally('demo-gs', `${Q1}&groupBy=service`);
      expect(service.rows).toEqual([
        { key: { service: null }, count: 11, citizens: 4 },
        { key: { service: 'CA-03' }, count: 1, citizens: 1 },
      ]);
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=outcome`))).toEqual([
        ['done', 9, 3],
        ['failed', 1, 1],
        ['referred', 1, 1],
        ['submitted', 1, 1],
      ]);
    });

    it('group by day, ISO week and month', async () => {
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=day`))).toEqual([
        ['2026-01-05', 4, 3],
        ['2026-01-06', 1, 1],
        ['2026-01-07', 1, 1],
        ['2026-01-11', 1, 1],
        ['2026-01-12', 1, 1],
        ['2026-01-20', 1, 0],
        ['2026-02-01', 1, 0],
        ['2026-02-10', 1, 1],
        ['2026-03-01', 1, 1],
      ]);
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=week`))).toEqual([
        ['2026-W02', 7, 4],
        ['2026-W03', 1, 1],
        ['2026-W04', 1, 0],
        ['2026-W05', 1, 0],
        ['2026-W07', 1, 1],
        ['2026-W09', 1, 1],
      ]);
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=month`))).toEqual([
        ['2026-01', 9, 4],
        ['2026-02', 2, 1],
        ['2026-03', 1, 1],
      ]);
    });

    it('puts 31 December 2025 in ISO week 2026-W01, as the shared helper does', async () => {
      expect(isoWeek('2025-12-31')).toBe('2026-W01');
      expect(isoWeek('2027-01-03')).toBe('2026-W53');
      const t = await tally('demo-gs', 'from=2025-12-01&to=2025-12-31&groupBy=week');
      expect(t.rows).toEqual([{ key: { week: '2026-W01' }, count: 1, citizens: 1 }]);
    });

    it('group by up to three dimensions at once', async () => {
      expect(rows(await tally('demo-gs', `${Q1}&groupBy=team,category`))).toEqual([
        ['team-1|can_cuoc', 4, 2],
        ['team-1|online_filing', 1, 1],
        ['team-1|vneid_l1', 3, 3],
        ['team-2|app_install', 1, 0],
        ['team-2|can_cuoc', 1, 1],
        ['team-2|digital_skills', 1, 1],
        ['team-2|vneid_l1', 1, 1],
      ]);
      const three = await tally('demo-gs', `${Q1}&groupBy=month,hamlet,outcome`);
      expect(three.rows.reduce((s, r) => s + r.count, 0)).toBe(12);
      expect(
        three.rows.find(
          (r) => r.key.month === '2026-01' && r.key.hamlet === 'thon-dong' && r.key.outcome === 'done',
        ),
      ).toMatchObject({ count: 4, citizens: 2 });
    });

    it('filter by category, outcome and hamlet', async () => {
      expect((await tally('demo-gs', `${Q1}&category=can_cuoc`)).total).toEqual({ count: 5, citizens: 3 });
      expect((await tally('demo-gs', `${Q1}&outcome=done&hamlet=thon-dong`)).total).toEqual({
        count: 5,
        citizens: 2,
      });
    });

    it('scope by role: a volunteer counts their own, a lead the team, a supervisor and an admin the commune', async () => {
      expect((await tally('demo-tnv', Q1)).total).toEqual({ count: 6, citizens: 3 });
      expect((await tally('demo-tnv2', Q1)).total).toEqual({ count: 4, citizens: 2 });
      expect((await tally('demo-lead', Q1)).total).toEqual({ count: 8, citizens: 4 });
      expect((await tally('demo-admin', Q1)).total).toEqual({ count: 12, citizens: 4 });
      expect(rows(await tally('demo-lead', `${Q1}&groupBy=team`))).toEqual([['team-1', 8, 4]]);
    });

    it('can be called directly on the store', async () => {
      const t = await server.store.tally({
        scope: { kind: 'commune', communeCode: '99001' },
        from: '2026-01-01',
        to: '2026-03-31',
        groupBy: ['hamlet'],
      });
      expect(t.total).toEqual({ count: 12, citizens: 4 });
    });

    it.each([
      ['to=2026-01-31', 'from'],
      ['from=2026-01-01', 'to'],
      ['from=2026-02-30&to=2026-03-01', 'from'],
      [`${Q1}&groupBy=hamlet,province`, 'groupBy'],
      [`${Q1}&groupBy=hamlet,hamlet`, 'groupBy'],
      [`${Q1}&groupBy=hamlet,team,volunteer,day`, 'groupBy'],
      ['from=2026-03-01&to=2026-01-01', 'to'],
      [`${Q1}&category=bogus`, 'category'],
      [`${Q1}&reviewState=maybe`, 'reviewState'],
      [`${Q1}&colour=red`, 'colour'],
    ])('answers 400 naming the field for %s', async (query, field) => {
      const res = await server.request<{ error: { code: string; details: { fields: { field: string }[] } } }>(
        `/api/v1/tallies?${query}`,
        { token: token['demo-gs'] },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.fields.map((f) => f.field)).toContain(field);
    });

    it('needs a login', async () => {
      expect((await server.request(`/api/v1/tallies?${Q1}`)).status).toBe(401);
    });
  });

  describe('quarter', () => {
    it('groups by calendar quarter, named YYYY-Qn', async () => {
      expect(rows(await tally('demo-gs', 'from=2025-10-01&to=2026-03-31&groupBy=quarter'))).toEqual([
        ['2025-Q4', 1, 1],
        ['2026-Q1', 12, 4],
      ]);
      expect(rows(await tally('demo-gs', 'from=2025-10-01&to=2026-03-31&groupBy=quarter,team'))).toEqual([
        ['2025-Q4|team-1', 1, 1],
        ['2026-Q1|team-1', 8, 4],
        ['2026-Q1|team-2', 4, 2],
      ]);
    });
  });

  describe('records behind a tally row', () => {
    /** The fixture's numbers in (occurredOn, id) order, as the drill-down pages them. */
    const inOrder = (ns: number[]): string[] =>
      ns
        .map((n) => ({ id: ids[n] ?? '', day: FIXTURE.find((f) => f.n === n)?.record.occurredOn ?? '' }))
        .sort((a, b) => (a.day === b.day ? (a.id < b.id ? -1 : 1) : a.day < b.day ? -1 : 1))
        .map((r) => r.id);

    async function drill(who: string, query: string): Promise<DrillResponse> {
      const res = await server.request<DrillResponse>(`/api/v1/tallies/records?${query}`, {
        token: token[who],
      });
      expect(res.status, res.text).toBe(200);
      return res.body;
    }

    it('lists the live records of a hamlet × category cell, the same number the tally counts', async () => {
      const cell = await tally('demo-gs', `${Q1}&hamlet=thon-dong&category=can_cuoc`);
      const page = await drill('demo-gs', `${Q1}&hamlet=thon-dong&category=can_cuoc`);
      expect(page.records.map((r) => r.id)).toEqual(inOrder([1, 2, 6, 14]));
      expect(page.records).toHaveLength(cell.total.count);
      expect(page.next).toBeNull();
      const first = page.records[0];
      expect(first).toMatchObject({
        hamletId: 'thon-dong',
        category: 'can_cuoc',
        outcome: 'done',
        serviceCode: null,
        teamId: 'team-1',
        volunteerId: userId['demo-tnv'],
        note: 'Bản ghi số 1',
      });
      expect(first).not.toHaveProperty('citizenKey');
    });

    it('filters by team, volunteer and service (none: records without one)', async () => {
      const team2 = await drill('demo-gs', `${Q1}&team=team-2`);
      expect(team2.records.map((r) => r.id)).toEqual(inOrder([9, 10, 11, 13]));
      const lead = await drill('demo-gs', `${Q1}&volunteer=${userId['demo-lead']}`);
      expect(lead.records.map((r) => r.id)).toEqual(inOrder([14, 15]));
      const ca03 = await drill('demo-gs', `${Q1}&service=CA-03`);
      expect(ca03.records.map((r) => r.id)).toEqual([ids[5]]);
      const filingWithout = await drill('demo-gs', `${Q1}&category=online_filing&service=none`);
      expect(filingWithout.records).toEqual([]);
    });

    it('pages by an opaque cursor without a gap or a repeat', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: DrillResponse = await drill(
          'demo-gs',
          `${Q1}&limit=5${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        seen.push(...page.records.map((r) => r.id));
        after = page.next;
        pages++;
      } while (after && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(inOrder([1, 2, 3, 4, 5, 6, 9, 10, 11, 13, 14, 15]));
    });

    it("keeps to the caller's scope: a lead sees the team, a volunteer their own", async () => {
      const lead = await drill('demo-lead', `${Q1}&hamlet=thon-bac`);
      expect(lead.records).toEqual([]);
      const otherTeam = await drill('demo-lead', `${Q1}&volunteer=${userId['demo-tnv2']}`);
      expect(otherTeam.records).toEqual([]);
      const leadDong = await drill('demo-lead', `${Q1}&hamlet=thon-dong&category=can_cuoc`);
      expect(leadDong.records.map((r) => r.id)).toEqual(inOrder([1, 2, 6, 14]));
      const own = await drill('demo-tnv2', `${Q1}&hamlet=thon-bac`);
      expect(own.records.map((r) => r.id)).toEqual(inOrder([9, 10]));
      const notOwn = await drill('demo-tnv2', `${Q1}&hamlet=thon-dong&category=can_cuoc`);
      expect(notOwn.records).toEqual([]);
    });

    it('answers 400 invalid_request for bad input and 401 without a token', async () => {
      const junkCursor = Buffer.from('{"x":1}').toString('base64url');
      for (const [query, field] of [
        [`${Q1}&limit=0`, 'limit'],
        [`${Q1}&limit=201`, 'limit'],
        [`${Q1}&limit=ten`, 'limit'],
        [`${Q1}&after=%%%`, 'after'],
        [`${Q1}&after=${junkCursor}`, 'after'],
        ['from=2026-03-31&to=2026-01-01', 'to'],
        [`${Q1}&category=bogus`, 'category'],
        [`${Q1}&reviewState=maybe`, 'reviewState'],
        [`${Q1}&hamlet=`, 'hamlet'],
        [`${Q1}&colour=red`, 'colour'],
        ['from=2026-02-30&to=2026-03-31', 'from'],
      ] as const) {
        const res = await server.request<{
          error: { code: string; details?: { fields?: { field: string }[] } };
        }>(`/api/v1/tallies/records?${query}`, { token: token['demo-gs'] });
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(
          res.body.error.details?.fields?.map((f) => f.field),
          query,
        ).toContain(field);
      }
      const anonymous = await server.request(`/api/v1/tallies/records?${Q1}`);
      expect(anonymous.status).toBe(401);
    });
  });

  describe('targets', () => {
    it('are set by an admin only and read with achieved, percent and the Vietnamese text', async () => {
      const body = {
        period: { from: '2026-01-01', to: '2026-03-31' },
        category: 'can_cuoc',
        target: 8,
        label: 'Căn cước quý 1',
      };
      expect(
        (await server.request('/api/v1/targets', { method: 'PUT', token: token['demo-gs'], body })).status,
      ).toBe(403);
      const put = await server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body,
      });
      expect(put.status, put.text).toBe(200);
      // Setting the same target again replaces it.
      await server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { ...body, target: 800 },
      });
      await server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { period: body.period, category: 'vneid_l1', outcome: 'done', hamletId: 'thon-bac', target: 3 },
      });
      const bad = await server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { ...body, target: 0 },
      });
      expect(bad.status).toBe(400);
      const res = await server.request<TargetsResponse>(`/api/v1/targets?${Q1}`, {
        token: token['demo-lead'],
      });
      expect(res.status).toBe(200);
      expect(res.body.targets).toHaveLength(2);
      const [cc, l1] = res.body.targets;
      expect(cc).toMatchObject({
        category: 'can_cuoc',
        outcome: null,
        hamletId: null,
        target: 800,
        achieved: 5,
        label: 'Căn cước quý 1',
      });
      expect(cc?.percent).toBeCloseTo(0.625, 10);
      expect(cc?.text).toBe('5/800, đạt 0,63 %');
      expect(l1).toMatchObject({
        category: 'vneid_l1',
        outcome: 'done',
        hamletId: 'thon-bac',
        achieved: 1,
        text: '1/3, đạt 33,33 %',
      });
      expect((await server.request(`/api/v1/targets?${Q1}`, { token: token['demo-tnv'] })).status).toBe(403);
    });

    it('format numbers the Vietnamese way', () => {
      expect(formatProgressVi(320, 800)).toBe('320/800, đạt 40,00 %');
      expect(formatProgressVi(2300, 4500)).toBe('2.300/4.500, đạt 51,11 %');
      expect(formatNumberVi(1234567.891, 2)).toBe('1.234.567,89');
      expect(formatProgressVi(0, 10)).toBe('0/10, đạt 0,00 %');
    });
  });

  describe('review', () => {
    it('a lead of the team reviews; a lead of another team cannot; a volunteer cannot', async () => {
      const id = ids[3] ?? '';
      const other = await server.request(`/api/v1/records/${ids[9]}/review`, {
        token: token['demo-lead'],
        body: { state: 'approved' },
      });
      expect(other.status).toBe(403);
      expect(
        (
          await server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-tnv'],
            body: { state: 'approved' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-lead'],
            body: { state: 'great' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-lead'],
            body: { state: 'has_issues', comment: 'x'.repeat(501) },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await server.request(`/api/v1/records/${ids[7]}/review`, {
            token: token['demo-gs'],
            body: { state: 'approved' },
          })
        ).status,
      ).toBe(404);
      const res = await server.request<ReviewResponse>(`/api/v1/records/${id}/review`, {
        token: token['demo-lead'],
        body: { state: 'has_issues', comment: 'Thiếu mã công dân?' },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        recordId: id,
        reviewState: 'has_issues',
        reviewComment: 'Thiếu mã công dân?',
      });
      const gs = await server.request<ReviewResponse>(`/api/v1/records/${ids[1]}/review`, {
        token: token['demo-gs'],
        body: { state: 'approved' },
      });
      expect(gs.status).toBe(200);
    });

    it('reaches the volunteer in pull with the comment, and shows in the history', async () => {
      const pulled = await server.pull(token['demo-tnv'] ?? '', client['demo-tnv'] ?? '', null, 500);
      expect(pulled.status).toBe(200);
      const row = pulled.body.changes.find((c) => c.id === ids[3]);
      expect(row?.data).toMatchObject({ reviewState: 'has_issues', reviewComment: 'Thiếu mã công dân?' });
      const history = await server.request<{ history: { patch: Record<string, unknown> }[] }>(
        `/api/v1/records/${ids[3]}/history`,
        { token: token['demo-lead'] },
      );
      expect(history.body.history.at(-1)?.patch).toEqual({
        reviewState: 'has_issues',
        reviewComment: 'Thiếu mã công dân?',
      });
    });

    it('filters tallies by review state', async () => {
      expect((await tally('demo-gs', `${Q1}&reviewState=approved`)).total).toEqual({ count: 1, citizens: 1 });
      expect((await tally('demo-gs', `${Q1}&reviewState=has_issues`)).total.count).toBe(1);
      expect((await tally('demo-gs', `${Q1}&reviewState=none`)).total.count).toBe(10);
    });
  });

  describe('reconciliation', () => {
    it('compares what each device reports with what the server holds', async () => {
      const report = (who: string, count: number, pending: number) =>
        server.request(`/api/v1/devices/report`, {
          token: token[who],
          body: {
            clientId: client[who],
            periodCounts: [{ from: '2026-01-01', to: '2026-03-31', count }],
            pending,
            at: '2026-03-31T10:00:00.000+07:00',
          },
        });
      expect((await report('demo-tnv', 6, 0)).status).toBe(204);
      expect((await report('demo-tnv2', 5, 1)).status).toBe(204);
      const spoof = await server.request(`/api/v1/devices/report`, {
        token: token['demo-tnv2'],
        body: { clientId: client['demo-tnv'], periodCounts: [], pending: 0, at: '2026-03-31T10:00:00.000Z' },
      });
      expect(spoof.status).toBe(403);
      const res = await server.request<ReconciliationResponse>(`/api/v1/reconciliation?${Q1}`, {
        token: token['demo-gs'],
      });
      expect(res.status, res.text).toBe(200);
      const by = new Map(res.body.rows.map((r) => [r.volunteerId, r]));
      expect(by.get(userId['demo-tnv'] ?? '')).toMatchObject({
        deviceCount: 6,
        serverCount: 6,
        pendingAtLastContact: 0,
        complete: true,
      });
      expect(by.get(userId['demo-tnv2'] ?? '')).toMatchObject({
        deviceCount: 5,
        serverCount: 4,
        pendingAtLastContact: 1,
        complete: false,
      });
      expect(by.get(userId['demo-lead'] ?? '')).toMatchObject({
        deviceCount: null,
        serverCount: 2,
        complete: false,
        lastContactAt: null,
      });
      expect(by.get(userId['demo-tnv'] ?? '')?.lastSyncedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const lead = await server.request<ReconciliationResponse>(`/api/v1/reconciliation?${Q1}`, {
        token: token['demo-lead'],
      });
      expect(lead.body.rows.map((r) => r.volunteerId).sort()).toEqual(
        [userId['demo-tnv'], userId['demo-lead']].sort(),
      );
      expect(
        (await server.request(`/api/v1/reconciliation?${Q1}`, { token: token['demo-tnv'] })).status,
      ).toBe(403);
    });
  });

  describe('exports', () => {
    it('CSV: BOM, one header row, one row per live record in scope, formulas neutralised', async () => {
      const res = await fetch(`${server.url}/api/v1/export/logs.csv?${Q1}`, {
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
      const lead = await server.request(`/api/v1/export/logs.csv?${Q1}`, { token: token['demo-lead'] });
      expect(parseCsv(lead.text.slice(1))).toHaveLength(1 + 8);
      const approved = await server.request(`/api/v1/export/logs.csv?${Q1}&reviewState=approved`, {
        token: token['demo-gs'],
      });
      expect(parseCsv(approved.text.slice(1))).toHaveLength(1 + 1);
      expect(
        (await server.request(`/api/v1/export/logs.csv?from=2026-01-01`, { token: token['demo-gs'] })).status,
      ).toBe(400);
    });

    it("CSV and XLSX group a citizen's rows by a pseudonym that changes with every export, never the key", async () => {
      const col = EXPORT_HEADERS.indexOf('Mã người dân (chỉ trong tệp này)');
      expect(col).toBeGreaterThanOrEqual(0);
      expect(EXPORT_HEADERS.some((h) => h.includes('citizenKey'))).toBe(false);
      const idCol = EXPORT_HEADERS.indexOf('Mã bản ghi');
      const csvOnce = async (): Promise<Map<string, string>> => {
        const res = await server.request(`/api/v1/export/logs.csv?${Q1}`, { token: token['demo-gs'] });
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
      const res = await fetch(`${server.url}/api/v1/export/logs.xlsx?${Q1}`, {
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
      const res = await fetch(`${server.url}/api/v1/export/logs.xlsx?${Q1}`, {
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
