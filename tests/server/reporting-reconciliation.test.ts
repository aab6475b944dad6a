// Device reports and reconciliation over real HTTP on both stores (reporting-fixture.ts,
// docs/reporting.md "Reconciliation").
import { describe, expect, it } from 'vitest';
import { type ReconciliationResponse } from '../../src/shared/index.ts';
import { STORE_KINDS } from './harness.ts';
import { Q1, reportingServer } from './reporting-fixture.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const fx = reportingServer(kind);
  const { token, userId, client } = fx;

  describe('reconciliation', () => {
    it('compares what each device reports with what the server holds', async () => {
      const report = (who: string, count: number, pending: number) =>
        fx.server.request(`/api/v1/devices/report`, {
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
      const spoof = await fx.server.request(`/api/v1/devices/report`, {
        token: token['demo-tnv2'],
        body: { clientId: client['demo-tnv'], periodCounts: [], pending: 0, at: '2026-03-31T10:00:00.000Z' },
      });
      expect(spoof.status).toBe(403);
      const res = await fx.server.request<ReconciliationResponse>(`/api/v1/reconciliation?${Q1}`, {
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
      const lead = await fx.server.request<ReconciliationResponse>(`/api/v1/reconciliation?${Q1}`, {
        token: token['demo-lead'],
      });
      expect(lead.body.rows.map((r) => r.volunteerId).sort()).toEqual(
        [userId['demo-tnv'], userId['demo-lead']].sort(),
      );
      expect(
        (await fx.server.request(`/api/v1/reconciliation?${Q1}`, { token: token['demo-tnv'] })).status,
      ).toBe(403);
    });
  });
});
