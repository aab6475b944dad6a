// Tallies over real HTTP on both stores: counts, groupings, filters, scope and bad input,
// against the hand-counted fixture (reporting-fixture.ts, docs/reporting.md "Tallies").
import { describe, expect, it } from 'vitest';
import { isoWeek } from '../../src/shared/index.ts';
import { STORE_KINDS } from './harness.ts';
import { Q1, rows, reportingServer } from './reporting-fixture.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token, userId, tally } = fx;

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
      const t = await fx.server.store.tally({
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
      const res = await fx.server.request<{
        error: { code: string; details: { fields: { field: string }[] } };
      }>(`/api/v1/tallies?${query}`, { token: token['demo-gs'] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.fields.map((f) => f.field)).toContain(field);
    });

    it('needs a login', async () => {
      expect((await fx.server.request(`/api/v1/tallies?${Q1}`)).status).toBe(401);
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
});
