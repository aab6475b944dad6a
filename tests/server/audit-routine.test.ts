// The audit log on both stores keeps out what the app does on its own: a supervisor's or admin's
// device report (an older app sends one; refused, but not a person's attempt) is no `denied` entry,
// while any other refusal still is; and the routine `view` entries of sync pulls can be left out.
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditResponse } from '../../src/shared/index.ts';
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

describe.each(STORE_KINDS)('routine entries of the audit log on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let admin = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    admin = (await server.login('demo-admin')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const audit = async (query = ''): Promise<AuditResponse> => {
    const res = await server.request<AuditResponse>(`/api/v1/audit?limit=200${query}`, { token: admin });
    expect(res.status).toBe(200);
    return res.body;
  };
  const report = (token: string) =>
    server.request('/api/v1/devices/report', {
      token,
      body: { clientId: clientId(), periodCounts: [], pending: 0, at: new Date().toISOString() },
    });

  it("records no denial for a supervisor's or admin's device report, and still records other refusals", async () => {
    const gs = (await server.login('demo-gs')).token;
    for (const token of [admin, gs]) expect((await report(token)).status).toBe(403);
    let denied = (await audit('&action=denied')).entries;
    expect(denied.filter((e) => e.target === 'POST /api/v1/devices/report')).toEqual([]);

    // A supervisor calling the admin's API is someone's attempt: logged.
    expect((await server.request('/api/v1/admin/directory', { token: gs })).status).toBe(403);
    denied = (await audit('&action=denied')).entries;
    expect(denied.map((e) => [e.username, e.target])).toContainEqual([
      'demo-gs',
      'GET /api/v1/admin/directory',
    ]);
  });

  it('leaves out routine sync pulls with hideSync=1 and keeps every other entry', async () => {
    const tnv = (await server.login('demo-tnv')).token;
    const cid = clientId();
    expect((await server.push(tnv, cid, [createOf(fakeRecord(), 1)])).status).toBe(200);
    expect((await server.pull(tnv, cid, null)).status).toBe(200);

    const all = (await audit()).entries;
    const pulls = all.filter((e) => e.action === 'view' && e.target === 'sync/pull');
    expect(pulls.length).toBeGreaterThan(0);
    const hidden = (await audit('&hideSync=1')).entries;
    expect(hidden.filter((e) => e.target === 'sync/pull')).toEqual([]);
    // Entries without a target (logins) and other views stay.
    expect(hidden.map((e) => e.id)).toEqual(all.filter((e) => !pulls.includes(e)).map((e) => e.id));
    expect(hidden.some((e) => e.action === 'login_ok' && e.target === null)).toBe(true);
    expect((await audit('&hideSync=0')).entries.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});
