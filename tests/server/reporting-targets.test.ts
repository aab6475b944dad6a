// Targets over real HTTP on both stores: set by an admin, read with progress in Vietnamese
// (reporting-fixture.ts, docs/reporting.md "Targets").
import { describe, expect, it } from 'vitest';
import { formatNumberVi, formatProgressVi, type TargetsResponse } from '../../src/shared/index.ts';
import { STORE_KINDS } from './harness.ts';
import { Q1, reportingServer } from './reporting-fixture.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token } = fx;

  describe('targets', () => {
    it('are set by an admin only and read with achieved, percent and the Vietnamese text', async () => {
      const body = {
        period: { from: '2026-01-01', to: '2026-03-31' },
        category: 'can_cuoc',
        target: 8,
        label: 'Căn cước quý 1',
      };
      expect(
        (await fx.server.request('/api/v1/targets', { method: 'PUT', token: token['demo-gs'], body })).status,
      ).toBe(403);
      const put = await fx.server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body,
      });
      expect(put.status, put.text).toBe(200);
      // Setting the same target again replaces it.
      await fx.server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { ...body, target: 800 },
      });
      await fx.server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { period: body.period, category: 'vneid_l1', outcome: 'done', hamletId: 'thon-bac', target: 3 },
      });
      const bad = await fx.server.request('/api/v1/targets', {
        method: 'PUT',
        token: token['demo-admin'],
        body: { ...body, target: 0 },
      });
      expect(bad.status).toBe(400);
      const res = await fx.server.request<TargetsResponse>(`/api/v1/targets?${Q1}`, {
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
      expect((await fx.server.request(`/api/v1/targets?${Q1}`, { token: token['demo-tnv'] })).status).toBe(
        403,
      );
    });

    it('format numbers the Vietnamese way', () => {
      expect(formatProgressVi(320, 800)).toBe('320/800, đạt 40,00 %');
      expect(formatProgressVi(2300, 4500)).toBe('2.300/4.500, đạt 51,11 %');
      expect(formatNumberVi(1234567.891, 2)).toBe('1.234.567,89');
      expect(formatProgressVi(0, 10)).toBe('0/10, đạt 0,00 %');
    });
  });
});
