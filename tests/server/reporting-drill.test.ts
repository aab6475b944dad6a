// The records behind a tally row over real HTTP on both stores: the same records the tally
// counts, filters, pages and scope (reporting-fixture.ts, docs/reporting.md).
import { describe, expect, it } from 'vitest';
import { type DrillResponse } from '../../src/shared/index.ts';
import { STORE_KINDS } from './harness.ts';
import { FIXTURE, Q1, reportingServer } from './reporting-fixture.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token, userId, ids, tally } = fx;

  describe('records behind a tally row', () => {
    /** The fixture's numbers in (occurredOn, id) order, as the drill-down pages them. */
    const inOrder = (ns: number[]): string[] =>
      ns
        .map((n) => ({ id: ids[n] ?? '', day: FIXTURE.find((f) => f.n === n)?.record.occurredOn ?? '' }))
        .sort((a, b) => (a.day === b.day ? (a.id < b.id ? -1 : 1) : a.day < b.day ? -1 : 1))
        .map((r) => r.id);

    async function drill(who: string, query: string): Promise<DrillResponse> {
      const res = await fx.server.request<DrillResponse>(`/api/v1/tallies/records?${query}`, {
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
        const res = await fx.server.request<{
          error: { code: string; details?: { fields?: { field: string }[] } };
        }>(`/api/v1/tallies/records?${query}`, { token: token['demo-gs'] });
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(
          res.body.error.details?.fields?.map((f) => f.field),
          query,
        ).toContain(field);
      }
      const anonymous = await fx.server.request(`/api/v1/tallies/records?${Q1}`);
      expect(anonymous.status).toBe(401);
    });
  });
});
