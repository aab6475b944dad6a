// Reconciliation: after a good sync the device tells the server how many of its own records it
// holds per report period and how many still wait, counted from indexes.
import { describe, expect, it } from 'vitest';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { reportPeriods } from '../../src/app/sync/device-report.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { freshDb, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, USER, loginResponse } from './support/fake-server.ts';

describe('the device report', () => {
  it('covers the current and previous week, month and quarter, nine months and the year', () => {
    const periods = reportPeriods('2025-10-15');
    expect(periods).toContainEqual({ from: '2025-10-13', to: '2025-10-19' });
    expect(periods).toContainEqual({ from: '2025-09-01', to: '2025-09-30' });
    expect(periods).toContainEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periods).toContainEqual({ from: '2025-07-01', to: '2025-09-30' });
    expect(periods).toContainEqual({ from: '2025-01-01', to: '2025-09-30' });
    expect(periods).toContainEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('is sent after a sync with the own-record counts of each period and nothing pending', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-14' }));
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-09-02' }));
    const server = new FakeServer();
    const reports: unknown[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/v1/devices/report')) {
        reports.push(JSON.parse(String(init?.body)));
        return new Response(null, { status: 204 });
      }
      return server.fetch(input, init);
    };
    const engine = new SyncEngine({
      db,
      fetch: fetchImpl,
      runLocked: null,
      now: () => new Date('2025-10-15T08:00:00Z'),
    });

    expect(await engine.syncNow()).toBe('ok');

    expect(reports).toHaveLength(1);
    const report = reports[0] as {
      pending: number;
      periodCounts: { from: string; to: string; count: number }[];
    };
    expect(report.pending).toBe(0);
    const count = (from: string, to: string) =>
      report.periodCounts.find((p) => p.from === from && p.to === to)?.count;
    expect(count('2025-10-13', '2025-10-19')).toBe(2);
    expect(count('2025-09-01', '2025-09-30')).toBe(1);
    expect(count('2025-10-01', '2025-12-31')).toBe(2);
    expect(count('2025-01-01', '2025-12-31')).toBe(3);
  });

  it('goes out after the run said `end`: the status bar does not wait for it', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    const server = new FakeServer();
    const log: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/v1/devices/report')) {
        log.push('report');
        return new Response(null, { status: 204 });
      }
      return server.fetch(input, init);
    };
    const engine = new SyncEngine({
      db,
      fetch: fetchImpl,
      runLocked: null,
      now: () => new Date('2025-10-15T08:00:00Z'),
      onEvent: (e) => log.push(e.type === 'end' ? `end ${e.outcome}` : e.type),
    });

    expect(await engine.syncNow()).toBe('ok');

    expect(log.slice(-2)).toEqual(['end ok', 'report']);
  });

  it('is not repeated within the hour when nothing changed, and is sent again once a record is added', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    const server = new FakeServer();
    let reports = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/v1/devices/report')) {
        reports++;
        return new Response(null, { status: 204 });
      }
      return server.fetch(input, init);
    };
    const engine = new SyncEngine({
      db,
      fetch: fetchImpl,
      runLocked: null,
      now: () => new Date('2025-10-15T08:00:00Z'),
    });

    expect(await engine.syncNow()).toBe('ok');
    expect(await engine.syncNow()).toBe('ok');
    expect(reports).toBe(1);

    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    expect(await engine.syncNow()).toBe('ok');
    expect(reports).toBe(2);
  });

  it("is never sent from a supervisor's or an admin's phone, whose report the server would refuse", async () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const db = freshDb();
      await storeLogin(db, { ...loginResponse(), user: { ...USER, role, teamId: null } });
      const server = new FakeServer();
      let reports = 0;
      const fetchImpl: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/api/v1/devices/report')) {
          reports++;
          return new Response(null, { status: 403 });
        }
        return server.fetch(input, init);
      };
      const engine = new SyncEngine({ db, fetch: fetchImpl, runLocked: null });

      expect(await engine.syncNow()).toBe('ok');
      expect(reports).toBe(0);
      expect(server.log.some((l) => l.path.endsWith('/sync/pull'))).toBe(true);
    }
  });
});
