// Free text a person types never stores an ID number, however disguised (docs/privacy.md, "Numbers
// in free text"): notes (push, lead edits, hand-off import), review comments, target labels, team and
// hamlet names, display names and device labels, over real HTTP on both stores. Generated IDs only.
import { afterAll, describe, expect, it } from 'vitest';
import { AdminDirectory } from '../../src/shared/admin.ts';
import {
  type ErrorBody,
  type FieldIssue,
  type LoginResponse,
  type TargetsResponse,
} from '../../src/shared/index.ts';
import { disguisedIdNumbers } from '../support/disguised-ids.ts';
import { createEnrolment, volunteerBundle } from './handoff-support.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type Answer,
  type TestServer,
} from './harness.ts';

const TABLES = [
  'records',
  'record_history',
  'record_reviews',
  'targets',
  'teams',
  'hamlets',
  'users',
  'devices',
] as const;
type Counts = Record<(typeof TABLES)[number], number>;

describe.each(STORE_KINDS)('ID numbers in free text on %s', (kind) => {
  let server: TestServer;
  let admin = '';
  let lead = '';
  let tnv: LoginResponse;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    admin = (await server.login('demo-admin')).token;
    lead = (await server.login('demo-lead')).token;
    tnv = await server.login('demo-tnv');
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  async function counts(): Promise<Counts> {
    const out: Partial<Counts> = {};
    for (const t of TABLES) out[t] = await server.db.count(t);
    return out as Counts;
  }

  /** A 400 `invalid_request` whose only field issue is `looks_like_id` on `field`, in Vietnamese. */
  function expectRefused(res: Answer, field: string, how: string): void {
    expect(res.status, `${how}: ${res.text}`).toBe(400);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe('invalid_request');
    const fields = (body.error.details as { fields: FieldIssue[] }).fields;
    expect(fields).toEqual([
      { field, code: 'looks_like_id', message: expect.stringContaining('số định danh') },
    ]);
  }

  it('rejects a pushed note holding a disguised ID, each mutation alone, naming the field, storing nothing', async () => {
    const before = await counts();
    const disguises = disguisedIdNumbers();
    const ok = fakeRecord({ note: 'hẹn 01/10/2025 - 31/12/2025, gọi lại sau 8:30' });
    const res = await server.push(tnv.token, clientId(), [
      ...disguises.map(([, note], i) => createOf(fakeRecord({ note }), i + 1)),
      createOf(ok, disguises.length + 1),
    ]);
    expect(res.status).toBe(200);
    disguises.forEach(([how], i) => {
      const r = res.body.results[i];
      expect(r?.status, how).toBe('rejected');
      expect(r?.error?.details, how).toMatchObject({ fields: [{ field: 'note', code: 'looks_like_id' }] });
    });
    expect(res.body.results.at(-1)?.status).toBe('applied');
    const after = await counts();
    expect(after.records).toBe(before.records + 1);
    expect(after.record_history).toBe(before.record_history + 1);
  });

  it("rejects a lead's edit of a note that adds a disguised ID, and keeps the note as it was", async () => {
    const r = fakeRecord({ note: 'ban đầu' });
    const created = await server.push(tnv.token, clientId(), [createOf(r, 1)]);
    const version = created.body.results[0]?.version ?? 0;
    const disguises = disguisedIdNumbers();
    const edits = await server.push(
      lead,
      clientId(),
      disguises.map(([, note], i) => updateOf(r.id, i + 1, version, { note })),
    );
    for (const [i, [how]] of disguises.entries()) {
      expect(edits.body.results[i]?.status, how).toBe('rejected');
      expect(edits.body.results[i]?.error?.details, how).toMatchObject({
        fields: [{ field: 'note', code: 'looks_like_id' }],
      });
    }
    const got = await server.request<{ record: { note?: string }; version: number }>(
      `/api/v1/records/${r.id}`,
      {
        token: lead,
      },
    );
    expect(got.body.record.note).toBe('ban đầu');
    expect(got.body.version).toBe(version);
  });

  it('rejects a note with a disguised ID in a hand-off bundle the lead uploads', async () => {
    const before = await counts();
    const [how, note] = disguisedIdNumbers()[2] ?? ['', ''];
    const bundle = await volunteerBundle(server, tnv, [createOf(fakeRecord({ note }), 1)]);
    const res = await server.request<{ statuses: Record<string, number> }>('/api/v1/handoff/bundles', {
      token: lead,
      body: { bundle },
    });
    expect(res.status, `${how}: ${res.text}`).toBe(200);
    expect(res.body.statuses).toEqual({ rejected: 1 });
    expect((await counts()).records).toBe(before.records);
  });

  it('refuses a review comment holding a disguised ID, and stores no review', async () => {
    const r = fakeRecord();
    const created = await server.push(tnv.token, clientId(), [createOf(r, 1)]);
    const version = created.body.results[0]?.version ?? 0;
    const before = await counts();
    for (const [how, comment] of disguisedIdNumbers()) {
      const res = await server.request(`/api/v1/records/${r.id}/review`, {
        token: lead,
        body: { state: 'has_issues', comment },
      });
      expectRefused(res, 'comment', how);
    }
    expect(await counts()).toEqual(before);
    const got = await server.request<{ version: number; record: Record<string, unknown> }>(
      `/api/v1/records/${r.id}`,
      { token: lead },
    );
    expect(got.body.version).toBe(version);
    expect(got.body.record.reviewComment).toBeUndefined();
    const fine = await server.request(`/api/v1/records/${r.id}/review`, {
      token: lead,
      body: { state: 'has_issues', comment: 'Sai ngày 01/10/2025, sửa lại giúp' },
    });
    expect(fine.status, fine.text).toBe(200);
  });

  it('refuses a target label holding a disguised ID, and stores no target', async () => {
    const before = await counts();
    const target = { period: { from: '2025-10-01', to: '2025-10-31' }, category: 'vneid_l1', target: 40 };
    for (const [how, label] of disguisedIdNumbers()) {
      const res = await server.request('/api/v1/targets', {
        method: 'PUT',
        token: admin,
        body: { ...target, label },
      });
      expectRefused(res, 'label', how);
    }
    expect(await counts()).toEqual(before);
    const list = await server.request<TargetsResponse>('/api/v1/targets?from=2025-10-01&to=2025-10-31', {
      token: admin,
    });
    expect(list.body.targets).toEqual([]);
  });

  it('refuses team and hamlet names holding a disguised ID, new or renamed, and keeps the old names', async () => {
    const before = await counts();
    for (const [how, name] of disguisedIdNumbers()) {
      expectRefused(
        await server.request('/api/v1/admin/teams', { token: admin, body: { name } }),
        'name',
        how,
      );
      expectRefused(
        await server.request('/api/v1/admin/teams/team-1', { token: admin, body: { name } }),
        'name',
        how,
      );
      expectRefused(
        await server.request('/api/v1/admin/hamlets', { token: admin, body: { name } }),
        'name',
        how,
      );
      expectRefused(
        await server.request('/api/v1/admin/hamlets/thon-dong', {
          token: admin,
          body: { name, active: false },
        }),
        'name',
        how,
      );
    }
    expect(await counts()).toEqual(before);
    const dir = AdminDirectory.parse(
      (await server.request('/api/v1/admin/directory', { token: admin })).body,
    );
    expect(dir.teams.find((t) => t.id === 'team-1')?.name).toBe('Tổ CNS số 1');
    expect(dir.hamlets.find((h) => h.id === 'thon-dong')).toMatchObject({ name: 'Thôn Đông', active: true });
  });

  it('refuses display names holding a disguised ID, for a new user or a renamed one', async () => {
    const before = await counts();
    const dirBefore = (await server.request('/api/v1/admin/directory', { token: admin })).text;
    for (const [how, displayName] of disguisedIdNumbers()) {
      const created = await server.request('/api/v1/admin/users', {
        token: admin,
        body: { username: 'test-ten-so', displayName, role: 'volunteer', teamId: 'team-1' },
      });
      expectRefused(created, 'displayName', how);
      const renamed = await server.request(`/api/v1/admin/users/${tnv.user.id}`, {
        token: admin,
        body: { displayName },
      });
      expectRefused(renamed, 'displayName', how);
    }
    expect(await counts()).toEqual(before);
    expect((await server.request('/api/v1/admin/directory', { token: admin })).text).toBe(dirBefore);
  });

  it('refuses a device label holding a disguised ID, and the enrolment stays usable', async () => {
    const token = await createEnrolment(server, admin, tnv.user.id);
    const before = await counts();
    for (const [how, label] of disguisedIdNumbers())
      expectRefused(await server.request('/api/v1/auth/enrol', { body: { token, label } }), 'label', how);
    expect(await counts()).toEqual(before);
    const ok = await server.request('/api/v1/auth/enrol', { body: { token, label: 'Máy của Lan' } });
    expect(ok.status, ok.text).toBe(200);
  });
});
