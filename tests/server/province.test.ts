// The hosting province's read-only tally (docs/operations.md, "A province on one PostgreSQL"): its
// token reads counts by commune across the deployment and nothing else; no commune account reads
// them; its figures are each commune's own tally; bad input is a 400 with a code.
import { describe, expect, it } from 'vitest';
import { newId, type TallyResponse } from '../../src/shared/index.ts';
import { hashToken, newToken } from '../../src/server/auth/tokens.ts';
import { parseConfig } from '../../src/server/config.ts';
import { DEMO_HAMLETS } from '../../src/server/demo.ts';
import type { ProvinceTallyResponse } from '../../src/server/http/province.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  updateOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  tempDir,
  type TestServer,
} from './harness.ts';
import { run } from './cli-process.ts';
import { seedSecondCommune, type SecondCommune } from './second-commune.ts';

const PERIOD = 'from=2025-10-01&to=2025-10-31';

describe('--add-province-reader', () => {
  it('takes a name and is a mode of its own', () => {
    expect(parseConfig({}, ['--add-province-reader', 'Sở TT tỉnh']).addProvinceReader).toBe('Sở TT tỉnh');
    expect(() => parseConfig({}, ['--add-province-reader'])).toThrow(/needs a name/);
    expect(() => parseConfig({}, ['--add-province-reader', 'x', '--demo'])).toThrow(/only one of/);
  });
});

describe.each(STORE_KINDS)('province tally (%s)', (kind) => {
  let server: TestServer;
  let b: SecondCommune;
  let province = '';
  let revoked = '';
  const admins: Record<string, string> = {};
  let aRecordId = '';

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    b = await seedSecondCommune(server.store);
    const aTnv = await server.login('demo-tnv');
    const bTnv = await server.login(b.accounts.volunteer.username);
    admins['99001'] = (await server.login('demo-admin')).token;
    admins[b.code] = (await server.login(b.accounts.admin.username)).token;
    const aRecords = Array.from({ length: 7 }, () => fakeRecord({ hamletId: DEMO_HAMLETS[0].id }));
    const bRecords = Array.from({ length: 4 }, () => fakeRecord({ hamletId: b.hamlets[0]?.id ?? '' }));
    aRecordId = aRecords[0]?.id ?? '';
    const pa = await server.push(
      aTnv.token,
      clientId(),
      aRecords.map((r, i) => createOf(r, i + 1)),
    );
    const pb = await server.push(
      bTnv.token,
      clientId(),
      bRecords.map((r, i) => createOf(r, i + 1)),
    );
    expect(pa.status, pa.text).toBe(200);
    expect(pb.status, pb.text).toBe(200);
    // One record refused in review: out of the counts, in `rejected` ("What counts").
    const gs = await server.login('demo-gs');
    const rv = await server.request(`/api/v1/records/${aRecordId}/review`, {
      token: gs.token,
      body: { state: 'rejected', comment: null },
    });
    expect(rv.status, rv.text).toBe(200);
    // The host's operator makes the reader from the CLI, beside the running server.
    const made = await run(tempDir(), ['--add-province-reader', 'Tỉnh thử'], server.db.env());
    expect(made.code, made.stderr).toBe(0);
    province = /^province token \(shown once\): (\S+)$/m.exec(made.stdout)?.[1] ?? '';
    const twice = await run(tempDir(), ['--add-province-reader', 'Tỉnh thử'], server.db.env());
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Đã có tài khoản đọc của tỉnh');
    revoked = newToken();
    await server.store.addProvinceReader({
      id: newId(),
      name: 'Tỉnh thử (đã thu hồi)',
      tokenHash: hashToken(revoked),
      createdAt: new Date().toISOString(),
      revokedAt: new Date().toISOString(),
    });
  });

  it("equals the sum of each commune's own tally by category", async () => {
    const res = await server.request<ProvinceTallyResponse>(`/api/v1/province/tallies?${PERIOD}`, {
      token: province,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.groupBy).toEqual(['commune', 'category']);
    expect(res.body.communes.map((c) => c.code)).toEqual(['99001', b.code]);
    let total = 0;
    let rejected = 0;
    for (const code of ['99001', b.code]) {
      const own = await server.request<TallyResponse>(`/api/v1/tallies?${PERIOD}&groupBy=category`, {
        token: admins[code] ?? '',
      });
      expect(own.status, own.text).toBe(200);
      const mine = res.body.rows.filter((r) => r.key.commune === code);
      expect(
        Object.fromEntries(mine.map((r) => [r.key.category, r.count]).filter(([, n]) => n !== 0)),
      ).toEqual(Object.fromEntries(own.body.rows.map((r) => [r.key.category, r.count])));
      expect(mine.reduce((s, r) => s + r.rejected, 0)).toBe(own.body.rejected ?? 0);
      total += own.body.total.count;
      rejected += own.body.rejected ?? 0;
    }
    expect(res.body.total).toEqual({ count: total, rejected });
    expect(total).toBe(10);
    expect(rejected).toBe(1);
  });

  it('groups by month and outcome too, and filters by category', async () => {
    const res = await server.request<ProvinceTallyResponse>(
      `/api/v1/province/tallies?${PERIOD}&groupBy=outcome,month&category=can_cuoc`,
      { token: province },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.groupBy).toEqual(['commune', 'outcome', 'month']);
    for (const r of res.body.rows) expect(r.key).toMatchObject({ outcome: 'done', month: '2025-10' });
    const byCategory = await server.request<ProvinceTallyResponse>(`/api/v1/province/tallies?${PERIOD}`, {
      token: province,
    });
    const canCuoc = byCategory.body.rows.filter((r) => r.key.category === 'can_cuoc');
    expect(res.body.total.count).toBe(canCuoc.reduce((s, r) => s + r.count, 0));
  });

  it("follows edits, deletes and reviews: still the sum of the communes' own tallies", async () => {
    const tnv = await server.login('demo-tnv');
    const cid = clientId();
    const records = Array.from({ length: 3 }, () =>
      fakeRecord({ hamletId: DEMO_HAMLETS[1].id, category: 'vneid_l1' }),
    );
    const made = await server.push(
      tnv.token,
      cid,
      records.map((r, i) => createOf(r, i + 1)),
    );
    expect(made.status, made.text).toBe(200);
    const [r0, r1, r2] = records.map((r, i) => ({ id: r.id, v: made.body.results[i]?.version ?? 0 }));
    const edits = await server.push(tnv.token, cid, [
      updateOf(r0?.id ?? '', 4, r0?.v ?? 0, { category: 'app_install' }),
      updateOf(r1?.id ?? '', 5, r1?.v ?? 0, { occurredOn: '2025-09-30' }),
      deleteOf(r2?.id ?? '', 6, r2?.v ?? 0),
    ]);
    expect(edits.status, edits.text).toBe(200);
    for (const [period, groupBy] of [
      [PERIOD, 'category'],
      ['from=2025-09-01&to=2025-10-31', 'category,month'],
      ['from=2025-09-01&to=2025-10-31', 'outcome'],
    ] as const) {
      const res = await server.request<ProvinceTallyResponse>(
        `/api/v1/province/tallies?${period}&groupBy=${groupBy}`,
        { token: province },
      );
      expect(res.status, res.text).toBe(200);
      for (const code of ['99001', b.code]) {
        const own = await server.request<TallyResponse>(`/api/v1/tallies?${period}&groupBy=${groupBy}`, {
          token: admins[code] ?? '',
        });
        const mine = res.body.rows.filter((r) => r.key.commune === code && r.count !== 0);
        const key = (k: Record<string, string | null>) =>
          groupBy
            .split(',')
            .map((d) => k[d])
            .join('|');
        expect(Object.fromEntries(mine.map((r) => [key(r.key), r.count])), `${code} ${groupBy}`).toEqual(
          Object.fromEntries(
            own.body.rows.map((r) => [key(r.key as Record<string, string | null>), r.count]),
          ),
        );
      }
    }
  });

  it('is audited with the reader and the period', async () => {
    // An entry of no commune is the host's, shown to no commune admin while there are several:
    // give it one to read it back through the store.
    await server.db.exec("UPDATE audit_log SET commune_code = '99001' WHERE target = 'province-tallies'");
    const rows = await server.store.listAudit({ communeCode: '99001', action: 'view', limit: 100 });
    const seen = rows.find((r) => r.target === 'province-tallies' && r.detail?.from === '2025-10-01');
    expect(seen?.detail).toMatchObject({ reader: 'Tỉnh thử', from: '2025-10-01', to: '2025-10-31' });
    expect(seen?.userId).toBeNull();
  });

  it('is refused to every commune account, a revoked reader and no token', async () => {
    for (const token of [...Object.values(admins), revoked, undefined]) {
      const res = await server.request(`/api/v1/province/tallies?${PERIOD}`, token ? { token } : {});
      expect(res.status).toBe(401);
    }
  });

  it("reads no commune's records, people, exports or pulls: every other route refuses its token", async () => {
    const routes = server.app.routeTable.filter((r) => 'roles' in r.access && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      const path = `/api/v1${r.url.replace(/^\/api\/v1/, '')}`
        .replace(':id', aRecordId)
        .replace(/:[a-zA-Z]+/g, 'x');
      const res = await server.request(`${path}?${PERIOD}`, {
        method: r.method,
        token: province,
        ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }),
      });
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('answers bad input with 400 and a code', async () => {
    const cases: [string, string][] = [
      ['', 'from'],
      ['from=2025-10-31&to=2025-10-01', 'to'],
      ['from=2025-02-30&to=2025-03-01', 'from'],
      [`${PERIOD}&groupBy=volunteer`, 'groupBy'],
      [`${PERIOD}&groupBy=category,category`, 'groupBy'],
      [`${PERIOD}&category=not_a_category`, 'category'],
      [`${PERIOD}&hamlet=x`, 'hamlet'],
      ['from=2020-01-01&to=2025-01-01', 'to'],
    ];
    for (const [query, field] of cases) {
      const res = await server.request<{
        error: { code: string; details?: { fields?: { field: string }[] } };
      }>(`/api/v1/province/tallies?${query}`, { token: province });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('invalid_request');
      expect(
        res.body.error.details?.fields?.map((f) => f.field),
        query,
      ).toContain(field);
    }
  });
});
