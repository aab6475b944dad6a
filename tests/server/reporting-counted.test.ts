// What counts (docs/reporting.md, "What counts"), over real HTTP on both stores: records refused in
// review are out of tallies (each path: citizen cells, rollup, aggregates, scan), drill-downs,
// exports and target progress, and counted beside them as `rejected`; a review to 'rejected' and
// back moves every figure; the payment and failure-reason dimensions, the Đề án 06 view, and targets
// per team counted in their own scope. Every expected figure was counted by hand from FIXTURE.
import { afterAll, describe, expect, it } from 'vitest';
import type {
  DrillResponse,
  LogRecord,
  ReconciliationResponse,
  TallyResponse,
  TargetsResponse,
} from '../../src/shared/index.ts';
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
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { parseCsv } from '../support/csv.ts';

const A = fakeIdNumber();
const B = fakeIdNumber();
const C = fakeIdNumber();
const D = fakeIdNumber();
const E = fakeIdNumber();

type Who = 'demo-tnv' | 'demo-tnv2' | 'demo-lead';
interface Fixture {
  n: number;
  who: Who;
  record: Partial<LogRecord>;
  citizen?: string;
  /** Refused in review (by the supervisor) once the first figures are checked. */
  refused?: boolean;
}

// demo-tnv and demo-lead are team-1, demo-tnv2 team-2. Refused: 2 (a duplicate), 8 and 9.
const FIXTURE: Fixture[] = [
  {
    n: 1,
    who: 'demo-tnv',
    record: { occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'can_cuoc', outcome: 'done' },
    citizen: A,
  },
  {
    n: 2,
    who: 'demo-tnv',
    record: { occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'can_cuoc', outcome: 'done' },
    citizen: B,
    refused: true,
  },
  {
    n: 3,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-04-03',
      hamletId: 'thon-tay',
      category: 'online_filing',
      outcome: 'submitted',
      serviceCode: 'CA-03',
      paidOnline: true,
    },
    citizen: C,
  },
  {
    n: 4,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-04-03',
      hamletId: 'thon-tay',
      category: 'online_filing',
      outcome: 'done',
      serviceCode: 'XA-02',
      paidOnline: false,
    },
    citizen: A,
  },
  {
    n: 5,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-04-05',
      hamletId: 'thon-bac',
      category: 'online_payment',
      outcome: 'done',
      serviceCode: 'KH-01',
      paidOnline: true,
    },
    citizen: D,
  },
  {
    n: 6,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-04-06',
      hamletId: 'thon-bac',
      category: 'vneid_l1',
      outcome: 'failed',
      failReason: 'no_signal',
    },
    citizen: D,
  },
  {
    n: 7,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-04-06',
      hamletId: 'thon-nam',
      category: 'app_install',
      outcome: 'failed',
      failReason: 'other',
    },
  },
  {
    n: 8,
    who: 'demo-lead',
    record: { occurredOn: '2026-04-07', hamletId: 'thon-dong', category: 'vneid_l2', outcome: 'done' },
    citizen: E,
    refused: true,
  },
  {
    n: 9,
    who: 'demo-tnv2',
    record: { occurredOn: '2026-05-01', hamletId: 'thon-nam', category: 'app_install', outcome: 'done' },
    citizen: B,
    refused: true,
  },
];
const Q2 = 'from=2026-04-01&to=2026-06-30';

describe.each(STORE_KINDS)('what counts on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  const ids: Record<number, string> = {};

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs', 'demo-admin']) {
      const login = await server.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
    }
    const contactKey = (await server.login('demo-tnv')).commune.contactKey;
    const clients: Record<string, string> = {};
    const seq: Record<string, number> = {};
    for (const f of FIXTURE) {
      const r = fakeRecord({ place: 'hamlet_hall', note: null, ...f.record });
      if (f.citizen) Object.assign(r, await sealedCitizen(contactKey, r.id, f.citizen));
      ids[f.n] = r.id;
      clients[f.who] ??= clientId();
      seq[f.who] = (seq[f.who] ?? 0) + 1;
      const res = await server.push(token[f.who] ?? '', clients[f.who] ?? '', [createOf(r, seq[f.who] ?? 1)]);
      expect(res.body.results[0]?.status, JSON.stringify(res.body)).toBe('applied');
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
    t.rows.map((r) => [Object.values(r.key).map(String).join('|'), r.count, r.citizens]);
  async function review(n: number, state: string): Promise<void> {
    const res = await server.request(`/api/v1/records/${ids[n]}/review`, {
      token: token['demo-gs'],
      body: { state },
    });
    expect(res.status, res.text).toBe(200);
  }
  async function drill(query: string): Promise<DrillResponse> {
    const res = await server.request<DrillResponse>(`/api/v1/tallies/records?${query}`, {
      token: token['demo-gs'],
    });
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  it('before any review, every live record counts and nothing is refused', async () => {
    const t = await tally('demo-gs', Q2);
    expect(t.total).toEqual({ count: 9, citizens: 5 });
    expect(t.rejected).toBe(0);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=hamlet`))).toEqual([
      ['thon-bac', 2, 1],
      ['thon-dong', 3, 3],
      ['thon-nam', 2, 1],
      ['thon-tay', 2, 2],
    ]);
  });

  it('leaves refused records out of the whole and of every group, on every path, and counts them beside', async () => {
    for (const f of FIXTURE) if (f.refused) await review(f.n, 'rejected');
    // Citizen cells (commune, hamlet and time): B and E were only in refused records.
    const whole = await tally('demo-gs', Q2);
    expect(whole.total).toEqual({ count: 6, citizens: 3 });
    expect(whole.rejected).toBe(3);
    const byHamlet = await tally('demo-gs', `${Q2}&groupBy=hamlet,month`);
    expect(rows(byHamlet)).toEqual([
      ['thon-bac|2026-04', 2, 1],
      ['thon-dong|2026-04', 1, 1],
      ['thon-nam|2026-04', 1, 0],
      ['thon-tay|2026-04', 2, 2],
    ]);
    expect(byHamlet.rejected).toBe(3);
    expect((await tally('demo-gs', `${Q2}&hamlet=thon-dong`)).rejected).toBe(2);
    // The rollup (outcome is not in a cell).
    const byOutcome = await tally('demo-gs', `${Q2}&groupBy=outcome`);
    expect(rows(byOutcome)).toEqual([
      ['done', 3, 2],
      ['failed', 2, 1],
      ['submitted', 1, 1],
    ]);
    expect(byOutcome.total).toEqual({ count: 6, citizens: 3 });
    expect(byOutcome.rejected).toBe(3);
    expect((await tally('demo-gs', `${Q2}&outcome=done`)).rejected).toBe(3);
    // The aggregates (team) and a team's scope (the lead's).
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=team`))).toEqual([
      ['team-1', 3, 2],
      ['team-2', 3, 1],
    ]);
    const lead = await tally('demo-lead', `${Q2}&groupBy=volunteer`);
    expect(lead.rows).toEqual([{ key: { volunteer: userId['demo-tnv'] }, count: 3, citizens: 2 }]);
    expect(lead.total).toEqual({ count: 3, citizens: 2 });
    expect(lead.rejected).toBe(2);
    // A volunteer's own records.
    const own = await tally('demo-tnv2', Q2);
    expect(own.total).toEqual({ count: 3, citizens: 1 });
    expect(own.rejected).toBe(1);
  });

  it('selects exactly the state asked for, refused records included, with nothing beside', async () => {
    const refused = await tally('demo-gs', `${Q2}&reviewState=rejected&groupBy=team`);
    expect(refused.total).toEqual({ count: 3, citizens: 2 });
    expect(rows(refused)).toEqual([
      ['team-1', 2, 2],
      ['team-2', 1, 1],
    ]);
    expect(refused.rejected).toBe(0);
    expect((await tally('demo-gs', `${Q2}&reviewState=none`)).total).toEqual({ count: 6, citizens: 3 });
  });

  it('leaves refused records out of the drill-down and the export, unless asked for', async () => {
    const page = await drill(`${Q2}&limit=50`);
    expect(page.records.map((r) => r.id).sort()).toEqual([1, 3, 4, 5, 6, 7].map((n) => ids[n]).sort());
    expect((await drill(`${Q2}&reviewState=rejected`)).records.map((r) => r.id).sort()).toEqual(
      [2, 8, 9].map((n) => ids[n]).sort(),
    );
    const csv = await server.request(`/api/v1/export/logs.csv?${Q2}`, { token: token['demo-gs'] });
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.text.slice(1))).toHaveLength(1 + 6);
    const refused = await server.request(`/api/v1/export/logs.csv?${Q2}&reviewState=rejected`, {
      token: token['demo-gs'],
    });
    expect(parseCsv(refused.text.slice(1))).toHaveLength(1 + 3);
  });

  it('groups by payment and by failure reason as counted by hand', async () => {
    const paid = await tally('demo-gs', `${Q2}&groupBy=paidOnline`);
    expect(paid.rows).toEqual([
      { key: { paidOnline: null }, count: 3, citizens: 2 },
      { key: { paidOnline: false }, count: 1, citizens: 1 },
      { key: { paidOnline: true }, count: 2, citizens: 2 },
    ]);
    expect(paid.total).toEqual({ count: 6, citizens: 3 });
    expect(paid.rejected).toBe(3);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=failReason`))).toEqual([
      ['null', 4, 3],
      ['no_signal', 1, 1],
      ['other', 1, 0],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=service,paidOnline`))).toEqual([
      ['null|null', 3, 2],
      ['CA-03|true', 1, 1],
      ['KH-01|true', 1, 1],
      ['XA-02|false', 1, 1],
    ]);
    // A team's payments (the scan in a team's scope).
    expect(rows(await tally('demo-lead', `${Q2}&groupBy=paidOnline,outcome`))).toEqual([
      ['null|done', 1, 1],
      ['false|done', 1, 1],
      ['true|submitted', 1, 1],
    ]);
  });

  it('keeps the Đề án 06 view to its categories and the police services, citizens exact', async () => {
    const t = await tally('demo-gs', `${Q2}&view=de_an_06`);
    expect(t.total).toEqual({ count: 3, citizens: 3 });
    expect(t.rejected).toBe(2);
    expect(rows(await tally('demo-gs', `${Q2}&view=de_an_06&groupBy=category`))).toEqual([
      ['can_cuoc', 1, 1],
      ['online_filing', 1, 1],
      ['vneid_l1', 1, 1],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&view=de_an_06&groupBy=hamlet`))).toEqual([
      ['thon-bac', 1, 1],
      ['thon-dong', 1, 1],
      ['thon-tay', 1, 1],
    ]);
    const page = await drill(`${Q2}&view=de_an_06`);
    expect(page.records.map((r) => r.id).sort()).toEqual([1, 3, 6].map((n) => ids[n]).sort());
    expect((await tally('demo-gs', `${Q2}&view=all`)).total.count).toBe(6);
    const bad = await server.request(`/api/v1/tallies?${Q2}&view=other`, { token: token['demo-gs'] });
    expect(bad.status).toBe(400);
  });

  it('reconciliation still counts refused records: the phones hold them', async () => {
    const res = await server.request<ReconciliationResponse>(`/api/v1/reconciliation?${Q2}`, {
      token: token['demo-gs'],
    });
    expect(res.status).toBe(200);
    const server4 = new Map(res.body.rows.map((r) => [r.volunteerId, r.serverCount]));
    expect(server4.get(userId['demo-tnv'] ?? '')).toBe(4);
    expect(server4.get(userId['demo-tnv2'] ?? '')).toBe(4);
    expect(server4.get(userId['demo-lead'] ?? '')).toBe(1);
  });

  describe('targets per team', () => {
    const period = { from: '2026-04-01', to: '2026-06-30' };
    const put = (body: Record<string, unknown>) =>
      server.request<{ target: { id: string; teamId: string | null } }>('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { period, ...body },
      });

    it('refuses a team and a hamlet at once, and a team of another commune', async () => {
      const both = await put({ category: 'can_cuoc', target: 5, teamId: 'team-1', hamletId: 'thon-dong' });
      expect(both.status).toBe(400);
      expect(JSON.stringify(both.body)).toContain('team_and_hamlet');
      const unknown = await put({ category: 'can_cuoc', target: 5, teamId: 'team-zz' });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toContain('unknown_team');
    });

    it('counts each target in its own scope, refused records out, whoever reads it', async () => {
      for (const body of [
        { category: 'can_cuoc', target: 10 },
        { category: 'can_cuoc', hamletId: 'thon-dong', target: 4 },
        { category: 'online_filing', teamId: 'team-1', target: 5 },
        { category: 'online_filing', teamId: 'team-2', target: 5 },
        { category: 'online_filing', target: 20 },
      ]) {
        const res = await put(body);
        expect(res.status, res.text).toBe(200);
      }
      // The same period, category, outcome, hamlet and team replaces the earlier one.
      const again = await put({ category: 'online_filing', teamId: 'team-1', target: 4 });
      expect(again.body.target.teamId).toBe('team-1');
      const read = async (who: string) => {
        const res = await server.request<TargetsResponse>(`/api/v1/targets?${Q2}`, { token: token[who] });
        expect(res.status, res.text).toBe(200);
        return res.body.targets.map((t) => [t.category, t.hamletId, t.teamId, t.target, t.achieved]);
      };
      const all = [
        ['can_cuoc', null, null, 10, 1],
        ['can_cuoc', 'thon-dong', null, 4, 1],
        ['online_filing', null, null, 20, 2],
        ['online_filing', null, 'team-1', 4, 2],
        ['online_filing', null, 'team-2', 5, 0],
      ];
      expect(await read('demo-gs')).toEqual(all);
      expect(await read('demo-admin')).toEqual(all);
      // A lead reads the commune's and hamlets' targets and the own team's.
      expect(await read('demo-lead')).toEqual(all.filter((t) => t[2] !== 'team-2'));
    });
  });

  it('moves every figure when a review refuses a record and when a later one accepts it again', async () => {
    await review(9, 'approved');
    const t = await tally('demo-gs', Q2);
    expect(t.total).toEqual({ count: 7, citizens: 4 });
    expect(t.rejected).toBe(2);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=hamlet&hamlet=thon-nam`))).toEqual([
      ['thon-nam', 2, 1],
    ]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=outcome&outcome=done`))).toEqual([['done', 4, 3]]);
    expect(rows(await tally('demo-gs', `${Q2}&groupBy=team&category=app_install`))).toEqual([
      ['team-2', 2, 1],
    ]);
    await review(1, 'rejected');
    const after = await tally('demo-gs', `${Q2}&groupBy=category`);
    expect(after.total).toEqual({ count: 6, citizens: 4 });
    expect(after.rejected).toBe(3);
    expect(after.rows.find((r) => r.key.category === 'can_cuoc')).toBeUndefined();
    const targets = await server.request<TargetsResponse>(`/api/v1/targets?${Q2}`, {
      token: token['demo-gs'],
    });
    expect(targets.body.targets[0]).toMatchObject({ category: 'can_cuoc', hamletId: null, achieved: 0 });
    await review(1, 'approved');
    expect((await tally('demo-gs', `${Q2}&groupBy=category&category=can_cuoc`)).rows).toEqual([
      { key: { category: 'can_cuoc' }, count: 1, citizens: 1 },
    ]);
  });
});
