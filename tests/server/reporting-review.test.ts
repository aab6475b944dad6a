// Record review over real HTTP on both stores: who may review, what a review changes, and the
// tallies' review filter (reporting-fixture.ts, docs/reporting.md "Review").
import { describe, expect, it } from 'vitest';
import { type ReviewResponse } from '../../src/shared/index.ts';
import { STORE_KINDS } from './harness.ts';
import { Q1, reportingServer } from './reporting-fixture.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token, client, ids, tally } = fx;

  describe('review', () => {
    it('a lead of the team reviews; a lead of another team cannot; a volunteer cannot', async () => {
      const id = ids[3] ?? '';
      const other = await fx.server.request(`/api/v1/records/${ids[9]}/review`, {
        token: token['demo-lead'],
        body: { state: 'approved' },
      });
      expect(other.status).toBe(403);
      expect(
        (
          await fx.server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-tnv'],
            body: { state: 'approved' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await fx.server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-lead'],
            body: { state: 'great' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await fx.server.request(`/api/v1/records/${id}/review`, {
            token: token['demo-lead'],
            body: { state: 'has_issues', comment: 'x'.repeat(501) },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await fx.server.request(`/api/v1/records/${ids[7]}/review`, {
            token: token['demo-gs'],
            body: { state: 'approved' },
          })
        ).status,
      ).toBe(404);
      const res = await fx.server.request<ReviewResponse>(`/api/v1/records/${id}/review`, {
        token: token['demo-lead'],
        body: { state: 'has_issues', comment: 'Thiếu mã công dân?' },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        recordId: id,
        reviewState: 'has_issues',
        reviewComment: 'Thiếu mã công dân?',
      });
      const gs = await fx.server.request<ReviewResponse>(`/api/v1/records/${ids[1]}/review`, {
        token: token['demo-gs'],
        body: { state: 'approved' },
      });
      expect(gs.status).toBe(200);
    });

    it('reaches the volunteer in pull with the comment, and shows in the history', async () => {
      const pulled = await fx.server.pull(token['demo-tnv'] ?? '', client['demo-tnv'] ?? '', null, 500);
      expect(pulled.status).toBe(200);
      const row = pulled.body.changes.find((c) => c.id === ids[3]);
      expect(row?.data).toMatchObject({ reviewState: 'has_issues', reviewComment: 'Thiếu mã công dân?' });
      const history = await fx.server.request<{ history: { patch: Record<string, unknown> }[] }>(
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
});
