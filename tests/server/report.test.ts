// GET /api/v1/report and the admin's report settings over real HTTP on both stores (docs/reporting.md,
// "The report"): every figure against a count made by hand from a generated data set (seeded, the
// seed printed), with records deleted and refused in review; every figure shown twice equal; scope,
// periods, targets in their own scope, the Đề án 06 view, validation and settings.
import { afterAll, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  DEFAULT_REPORT_SETTINGS,
  DE_AN_06_CATEGORIES,
  FAIL_REASONS,
  OUTCOMES,
  POLICE_SERVICE_CODES,
  REVIEW_STATES,
  SERVICE_CATALOGUE,
  communeDay,
  newId,
  type ReportSettings,
  type ReportSummary,
  type ReportView,
  type TargetsResponse,
} from '../../src/shared/index.ts';
import { DEMO_COMMUNE, DEMO_HAMLETS } from '../../src/server/demo.ts';
import { bulkInsertRecords, type BulkRecord } from '../../src/server/reporting/seed-bulk.ts';
import { prng, syntheticRecords } from '../../src/server/reporting/synthetic.ts';
import { fakeIdNumber } from '../support/citizen-ids.ts';
import { testSeed } from '../support/seed.ts';
import { STORE_KINDS, setupAll, startServer, testDatabase, type TestServer } from './harness.ts';

// The run's seed (printed at its start; FC_SEED=N repeats the data set).
const SEED = testSeed() >>> 0;

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
const PREVIOUS = { from: '2025-10-03', to: '2025-12-31' };
const LAST_YEAR = { from: '2025-01-01', to: '2025-03-31' };
const TEAM_NAMES: Record<string, string> = { 'team-1': 'Tổ CNS số 1', 'team-2': 'Tổ CNS số 2' };

type Scope = { kind: 'commune' } | { kind: 'team'; teamId: string };

/** What the report counts for one record: in, refused in review, or out of the filter. */
function classify(b: BulkRecord, period: { from: string; to: string }, scope: Scope, view: ReportView) {
  const r = b.record;
  if (b.deleted || r.occurredOn < period.from || r.occurredOn > period.to) return null;
  if (scope.kind === 'team' && b.teamId !== scope.teamId) return null;
  const inView =
    view === 'all' ||
    DE_AN_06_CATEGORIES.includes(r.category) ||
    (r.serviceCode != null && POLICE_SERVICE_CODES.includes(r.serviceCode));
  if (!inView) return null;
  return b.reviewState === 'rejected' ? 'rejected' : 'counted';
}

interface Model {
  count: number;
  citizens: number;
  rejected: number;
  by: (f: (b: BulkRecord) => string | null) => Map<string | null, number>;
  records: BulkRecord[];
}

function model(
  all: BulkRecord[],
  period: { from: string; to: string },
  scope: Scope,
  view: ReportView,
): Model {
  const records = all.filter((b) => classify(b, period, scope, view) === 'counted');
  const rejected = all.filter((b) => classify(b, period, scope, view) === 'rejected').length;
  const citizens = new Set(records.map((b) => b.record.citizenKey).filter((k) => k != null)).size;
  const by = (f: (b: BulkRecord) => string | null): Map<string | null, number> => {
    const m = new Map<string | null, number>();
    for (const b of records) m.set(f(b), (m.get(f(b)) ?? 0) + 1);
    return m;
  };
  return { count: records.length, citizens, rejected, by, records };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Every figure the screen or the printout shows twice must be the same figure. */
function expectIdentities(s: ReportSummary): void {
  const total = s.totals.current.count;
  expect(sum(s.hamletCategory.map((c) => c.count)), 'hamlet × category').toBe(total);
  expect(sum(s.categories.map((c) => c.count.current)), 'categories').toBe(total);
  expect(sum(s.outcomes.map((o) => o.count.current)), 'outcomes').toBe(total);
  expect(sum(s.teams.map((t) => t.count.current)), 'teams').toBe(total);
  expect(sum(s.volunteers.map((v) => v.count)), 'volunteers').toBe(total);
  for (const k of ['previous', 'lastYear'] as const) {
    expect(sum(s.categories.map((c) => c.count[k])), `categories ${k}`).toBe(s.totals[k].count);
    expect(sum(s.outcomes.map((o) => o.count[k])), `outcomes ${k}`).toBe(s.totals[k].count);
    expect(sum(s.teams.map((t) => t.count[k])), `teams ${k}`).toBe(s.totals[k].count);
  }
  for (const c of s.categories)
    expect(
      sum(s.hamletCategory.filter((x) => x.category === c.category).map((x) => x.count)),
      `column ${c.category}`,
    ).toBe(c.count.current);
  expect(sum(s.services.map((x) => x.count.current)), 'services').toBe(s.payment.withService);
  expect(sum(s.services.map((x) => x.paidOnline)), 'paid online').toBe(s.payment.paidOnline);
  expect(sum(s.failReasons.map((r) => r.count)), 'fail reasons').toBe(
    s.outcomes.find((o) => o.outcome === 'failed')?.count.current,
  );
  expect(sum(s.teams.map((t) => t.activeVolunteers)), 'active volunteers').toBe(s.volunteers.length);
  for (const t of s.targets)
    if (
      t.scope.kind === 'commune' &&
      t.outcome === null &&
      s.scope.kind === 'commune' &&
      t.period.from === s.period.from &&
      t.period.to === s.period.to
    )
      expect(t.achieved, `target ${t.category}`).toBe(
        s.categories.find((c) => c.category === t.category)?.count.current,
      );
}

describe.each(STORE_KINDS)('the report on %s', (kind) => {
  let server: TestServer;
  let records: BulkRecord[] = [];
  const tokens: Record<string, string> = {};
  const people = new Map<string, { name: string; teamId: string }>();

  const report = async (who: string, query: string) =>
    server.request<ReportSummary>(`/api/v1/report?${query}`, { token: tokens[who] });
  const get = async (who: string, view: ReportView = 'all', period = PERIOD): Promise<ReportSummary> => {
    const res = await report(who, `from=${period.from}&to=${period.to}&view=${view}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    for (const u of ['demo-tnv', 'demo-lead', 'demo-gs', 'demo-admin'])
      tokens[u] = (await server.login(u)).token;
    const extra = [
      { username: 'test-tnv-a', name: 'Cao Văn Thử (test)', teamId: 'team-1' },
      { username: 'test-tnv-b', name: 'Lý Thị Thử (test)', teamId: 'team-2' },
      { username: 'test-tnv-c', name: 'Mai Văn Thử (test)', teamId: 'team-2' },
    ];
    await server.store.transaction(async (tx) => {
      for (const e of extra)
        await tx.insertUser({
          id: newId(),
          username: e.username,
          displayName: e.name,
          passwordHash: '!',
          role: 'volunteer',
          communeCode: DEMO_COMMUNE.code,
          teamId: e.teamId,
          active: true,
        });
    });
    for (const u of await server.store.listUsers(DEMO_COMMUNE.code))
      if (u.teamId !== null) people.set(u.id, { name: u.displayName, teamId: u.teamId });
    const volunteers = [...people].map(([id, p]) => ({ id, teamId: p.teamId }));
    // From 2024-10-01 over 560 days: the period, the one before it and the same months a year before.
    records = [
      ...syntheticRecords(1600, {
        communeCode: DEMO_COMMUNE.code,
        hamletIds: DEMO_HAMLETS.map((h) => h.id),
        volunteers,
        from: '2024-10-01',
        days: 560,
        seed: SEED,
        citizens: 500,
      }),
    ];
    const rand = prng(SEED + 1);
    for (const r of records) {
      const x = rand();
      if (x < 0.03) r.deleted = true;
      else if (x < 0.33) r.reviewState = REVIEW_STATES[Math.floor(rand() * REVIEW_STATES.length)] ?? null;
    }
    // Some refused in review for sure, in the period and in team 1.
    for (const r of records
      .filter((b) => b.record.occurredOn >= PERIOD.from && b.teamId === 'team-1')
      .slice(0, 5))
      r.reviewState = 'rejected';
    await bulkInsertRecords(server.store, records);
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  for (const view of ['all', 'de_an_06'] as const)
    for (const who of ['demo-gs', 'demo-lead'] as const)
      it(`gives ${who} every figure of the ${view} view as counted by hand`, async () => {
        const s = await get(who, view);
        const scope: Scope = who === 'demo-lead' ? { kind: 'team', teamId: 'team-1' } : { kind: 'commune' };
        const now = model(records, PERIOD, scope, view);
        const prev = model(records, PREVIOUS, scope, view);
        const last = model(records, LAST_YEAR, scope, view);
        expect(now.rejected, 'the data set has refused records').toBeGreaterThan(0);

        expect(s.view).toBe(view);
        expect(s.scope).toEqual(
          who === 'demo-lead'
            ? { kind: 'team', id: 'team-1', label: 'Tổ CNS số 1' }
            : { kind: 'commune', id: DEMO_COMMUNE.code, label: 'Toàn xã' },
        );
        expect([s.period, s.previousPeriod, s.lastYearPeriod]).toEqual([PERIOD, PREVIOUS, LAST_YEAR]);
        expect(s.asOf).toBeNull();
        expect(s.totals).toEqual({
          current: { count: now.count, citizens: now.citizens, rejected: now.rejected },
          previous: { count: prev.count, citizens: prev.citizens, rejected: prev.rejected },
          lastYear: { count: last.count, citizens: last.citizens, rejected: last.rejected },
        });

        const cells = now.by((b) => `${b.record.hamletId}|${b.record.category}`);
        expect(new Map(s.hamletCategory.map((c) => [`${c.hamletId}|${c.category}`, c.count]))).toEqual(cells);
        expect(s.hamlets).toEqual(DEMO_HAMLETS.map((h) => ({ id: h.id, name: h.name })));

        const byCat = [now, prev, last].map((m) => m.by((b) => b.record.category));
        expect(s.categories).toEqual(
          CATEGORIES.map((c) => ({
            category: c.code,
            count: {
              current: byCat[0]?.get(c.code) ?? 0,
              previous: byCat[1]?.get(c.code) ?? 0,
              lastYear: byCat[2]?.get(c.code) ?? 0,
            },
          })),
        );
        const bySvc = [now, prev, last].map((m) => m.by((b) => b.record.serviceCode ?? null));
        const paid = model(records, PERIOD, scope, view).records.filter((b) => b.record.paidOnline === true);
        expect(s.services.map((x) => x.code)).toEqual(SERVICE_CATALOGUE.services.map((x) => x.code));
        expect(s.services).toHaveLength(25);
        for (const x of s.services) {
          expect(x.count, x.code).toEqual({
            current: bySvc[0]?.get(x.code) ?? 0,
            previous: bySvc[1]?.get(x.code) ?? 0,
            lastYear: bySvc[2]?.get(x.code) ?? 0,
          });
          expect(x.paidOnline, x.code).toBe(paid.filter((b) => b.record.serviceCode === x.code).length);
        }
        const byOutcome = [now, prev, last].map((m) => m.by((b) => b.record.outcome));
        expect(s.outcomes).toEqual(
          OUTCOMES.map((o) => ({
            outcome: o.code,
            count: {
              current: byOutcome[0]?.get(o.code) ?? 0,
              previous: byOutcome[1]?.get(o.code) ?? 0,
              lastYear: byOutcome[2]?.get(o.code) ?? 0,
            },
          })),
        );
        const reasons = now.by((b) => b.record.failReason ?? null);
        expect(s.failReasons).toEqual(
          FAIL_REASONS.map((r) => ({ reason: r.code, count: reasons.get(r.code) ?? 0 })),
        );

        const teamIds = who === 'demo-lead' ? ['team-1'] : ['team-1', 'team-2'];
        const byTeam = [now, prev, last].map((m) => m.by((b) => b.teamId));
        expect(new Set(s.teams.map((t) => t.teamId))).toEqual(new Set(teamIds));
        for (const t of s.teams) {
          const mine = now.records.filter((b) => b.teamId === t.teamId);
          expect(t, t.teamId).toEqual({
            teamId: t.teamId,
            name: TEAM_NAMES[t.teamId],
            count: {
              current: byTeam[0]?.get(t.teamId) ?? 0,
              previous: byTeam[1]?.get(t.teamId) ?? 0,
              lastYear: byTeam[2]?.get(t.teamId) ?? 0,
            },
            citizens: new Set(mine.map((b) => b.record.citizenKey).filter((k) => k != null)).size,
            activeVolunteers: new Set(mine.map((b) => b.volunteerId)).size,
          });
        }
        expect(s.teams.map((t) => t.count.current)).toEqual(
          [...s.teams.map((t) => t.count.current)].sort((a, b) => b - a),
        );

        const byVolunteer = now.by((b) => b.volunteerId);
        expect(new Set(s.volunteers.map((v) => v.volunteerId))).toEqual(new Set(byVolunteer.keys()));
        for (const [i, v] of s.volunteers.entries()) {
          const mine = now.records.filter((b) => b.volunteerId === v.volunteerId);
          const days = new Set(mine.map((b) => b.record.occurredOn)).size;
          expect(v).toEqual({
            volunteerId: v.volunteerId,
            name: people.get(v.volunteerId)?.name,
            teamId: people.get(v.volunteerId)?.teamId,
            teamName: TEAM_NAMES[people.get(v.volunteerId)?.teamId ?? ''],
            count: mine.length,
            citizens: new Set(mine.map((b) => b.record.citizenKey).filter((k) => k != null)).size,
            activeDays: days,
            perActiveDay: mine.length / days,
            rank: 1 + s.volunteers.filter((o) => o.count > v.count).length,
          });
          if (i > 0) expect(v.count).toBeLessThanOrEqual(s.volunteers[i - 1]?.count ?? 0);
        }
        expectIdentities(s);
      });

  it('puts targets in their own scope, shows the lead its team, the view only its categories', async () => {
    const put = async (body: Record<string, unknown>): Promise<string> => {
      const res = await server.request<{ target: { id: string } }>('/api/v1/targets', {
        method: 'PUT',
        token: tokens['demo-admin'],
        body: { period: PERIOD, target: 50, ...body },
      });
      expect(res.status, res.text).toBe(200);
      return res.body.target.id;
    };
    const commune = await put({ category: 'vneid_l2' });
    const hamlet = await put({ category: 'can_cuoc', hamletId: 'thon-dong' });
    const team2 = await put({ category: 'vneid_l1', teamId: 'team-2' });
    const filing = await put({ category: 'online_filing', period: { from: '2026-02-01', to: '2026-02-28' } });

    const all = await get('demo-gs');
    const byId = new Map(all.targets.map((t) => [t.id, t]));
    expect(new Set(byId.keys())).toEqual(new Set([commune, hamlet, team2, filing]));
    expect(byId.get(commune)?.scope).toEqual({ kind: 'commune', id: DEMO_COMMUNE.code, label: 'Toàn xã' });
    expect(byId.get(hamlet)?.scope).toEqual({ kind: 'hamlet', id: 'thon-dong', label: 'Thôn Đông' });
    expect(byId.get(team2)?.scope).toEqual({ kind: 'team', id: 'team-2', label: 'Tổ CNS số 2' });
    const counted = (f: (b: BulkRecord) => boolean, period = PERIOD): number =>
      model(records, period, { kind: 'commune' }, 'all').records.filter(f).length;
    expect(byId.get(commune)?.achieved).toBe(counted((b) => b.record.category === 'vneid_l2'));
    expect(byId.get(hamlet)?.achieved).toBe(
      counted((b) => b.record.category === 'can_cuoc' && b.record.hamletId === 'thon-dong'),
    );
    expect(byId.get(team2)?.achieved).toBe(
      counted((b) => b.record.category === 'vneid_l1' && b.teamId === 'team-2'),
    );
    expect(byId.get(filing)?.achieved).toBe(
      counted((b) => b.record.category === 'online_filing', { from: '2026-02-01', to: '2026-02-28' }),
    );
    // The same progress as GET /targets gives.
    const listed = await server.request<TargetsResponse>(
      `/api/v1/targets?from=${PERIOD.from}&to=${PERIOD.to}`,
      {
        token: tokens['demo-gs'],
      },
    );
    for (const t of listed.body.targets) expect(byId.get(t.id)?.achieved, t.id).toBe(t.achieved);
    expectIdentities(all);

    const lead = await get('demo-lead');
    expect(new Set(lead.targets.map((t) => t.id))).toEqual(new Set([commune, hamlet, filing]));
    // Whoever reads it, a target counts its own scope.
    expect(lead.targets.find((t) => t.id === commune)?.achieved).toBe(byId.get(commune)?.achieved);

    const view = await get('demo-gs', 'de_an_06');
    expect(new Set(view.targets.map((t) => t.id))).toEqual(new Set([commune, hamlet, team2]));
    expectIdentities(view);
  });

  it('says how far the figures stand while the period is not over', async () => {
    const today = communeDay();
    const s = await get('demo-gs', 'all', { from: '2026-01-01', to: '2099-12-31' });
    expect(s.asOf).toBe(today);
    const past = await get('demo-gs', 'all', { from: '2026-01-01', to: '2026-01-31' });
    expect(past.asOf).toBeNull();
    expect(Date.parse(s.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('moves a record refused in review out of the figures and back', async () => {
    const before = await get('demo-gs');
    const target = records.find((b) => classify(b, PERIOD, { kind: 'commune' }, 'all') === 'counted');
    expect(target).toBeDefined();
    const review = async (state: string) => {
      const res = await server.request(`/api/v1/records/${target?.record.id}/review`, {
        token: tokens['demo-gs'],
        body: { state },
      });
      expect(res.status, res.text).toBe(200);
    };
    await review('rejected');
    const after = await get('demo-gs');
    expect(after.totals.current.count).toBe(before.totals.current.count - 1);
    expect(after.totals.current.rejected).toBe(before.totals.current.rejected + 1);
    expectIdentities(after);
    await review('approved');
    const back = await get('demo-gs');
    expect(back.totals.current).toEqual(before.totals.current);
    if (target) target.reviewState = 'approved';
  });

  it('refuses bad queries with the field named, and volunteers', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=2026-03-01&to=2026-02-01', 'to'],
      ['from=2026-01-01&to=2026-01-31&view=de_an_07', 'view'],
      ['from=2026-01-01', 'to'],
    ];
    for (const [query, field] of cases) {
      const res = await report('demo-gs', query);
      expect(res.status, query).toBe(400);
      const body = res.body as unknown as {
        error: { code: string; details: { fields: { field: string }[] } };
      };
      expect(body.error.code).toBe('invalid_request');
      expect(
        body.error.details.fields.map((f) => f.field),
        query,
      ).toContain(field);
    }
    expect((await report('demo-gs', 'from=2026-01-01&to=2026-01-31&groupBy=hamlet')).status).toBe(400);
    expect((await report('demo-tnv', 'from=2026-01-01&to=2026-01-31')).status).toBe(403);
  });

  it('keeps the admin’s report settings: defaults, refusals that store nothing, a change audited', async () => {
    const read = async (who: string) => {
      const res = await server.request<ReportSettings>('/api/v1/report-settings', { token: tokens[who] });
      expect(res.status, res.text).toBe(200);
      return res.body;
    };
    expect(await read('demo-lead')).toEqual(DEFAULT_REPORT_SETTINGS);
    const put = (who: string, body: unknown) =>
      server.request('/api/v1/report-settings', { method: 'PUT', token: tokens[who], body });
    const bad: [unknown, string][] = [
      [{ ...DEFAULT_REPORT_SETTINGS, numberSuffix: 'BC UBND;' }, 'numberSuffix'],
      [{ ...DEFAULT_REPORT_SETTINGS, recipients: ['Như trên', ''] }, 'recipients'],
      [{ ...DEFAULT_REPORT_SETTINGS, signerName: 'x'.repeat(121) }, 'signerName'],
      [{ ...DEFAULT_REPORT_SETTINGS, extra: 1 }, 'extra'],
      [{ ...DEFAULT_REPORT_SETTINGS, signerName: `Nguyễn Văn A ${fakeIdNumber()}` }, 'signerName'],
      [{ ...DEFAULT_REPORT_SETTINGS, bases: ['Căn cứ thử', `Số ${fakeIdNumber()}`] }, 'bases'],
    ];
    for (const [body, field] of bad) {
      const res = await put('demo-admin', body);
      expect(res.status, field).toBe(400);
      const fields = (res.body as { error: { details: { fields: { field: string }[] } } }).error.details
        .fields;
      expect(
        fields.map((f) => f.field),
        field,
      ).toContain(field);
    }
    expect(await read('demo-admin')).toEqual(DEFAULT_REPORT_SETTINGS);
    expect((await put('demo-gs', DEFAULT_REPORT_SETTINGS)).status).toBe(403);

    const mine: ReportSettings = {
      issuer: 'UBND XÃ THANH BÌNH',
      numberSuffix: 'BC-UBND',
      addressees: ['Ủy ban nhân dân huyện (thử)'],
      bases: ['Kế hoạch số 01/KH-UBND (thử)'],
      recipients: ['Như trên', 'Lưu: VT'],
      signerCapacity: 'TM. ỦY BAN NHÂN DÂN',
      signerTitle: 'CHỦ TỊCH',
      signerName: 'Người Ký Thử',
    };
    const saved = await put('demo-admin', { ...mine, signerName: '  Người Ký Thử ' });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toEqual(mine);
    expect(await read('demo-gs')).toEqual(mine);
    expect((await get('demo-lead')).settings).toEqual(mine);

    const audit = await server.request<{
      entries: { action: string; target: string | null; detail: unknown }[];
    }>('/api/v1/audit?action=report_settings_change', { token: tokens['demo-admin'] });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]?.detail).toEqual({
      changed: ['issuer', 'addressees', 'bases', 'signerName'],
    });
    const views = await server.request<{ entries: { target: string | null }[] }>(
      '/api/v1/audit?action=view',
      {
        token: tokens['demo-admin'],
      },
    );
    expect(views.body.entries.some((e) => e.target === 'report')).toBe(true);
  });
});
