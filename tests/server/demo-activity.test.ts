// The living demo: `npm run demo` seeds months of made-up activity, only into an empty database,
// quickly, on both stores.
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEMO_HAMLETS,
  DEMO_RECORD_COUNT,
  DEMO_SESSION_COUNT,
  quarterOf,
  seedDemo,
} from '../../src/server/demo.ts';
import { sessionTargetAchieved, tallySessions } from '../../src/server/reporting/sessions.ts';
import type { Store } from '../../src/server/store/store.ts';
import { DEFAULT_SESSION_TOPICS, validateRecord, validateSession } from '../../src/shared/index.ts';
import { STORE_KINDS, setupAll, testDatabase, type TestDatabase } from './harness.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let seeded = false;

  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
    seeded = await seedDemo(store, { activity: true, today: '2026-11-28' });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('seeds about three months of valid records, targets for the quarter and some reviews', async () => {
    expect(seeded).toBe(true);
    expect(await db.count('records')).toBe(DEMO_RECORD_COUNT);
    const all = await store.tally({
      scope: { kind: 'commune', communeCode: '99001' },
      from: '2026-08-01',
      to: '2026-11-28',
      groupBy: ['month'],
    });
    // Records refused in review are out of the count and beside it (docs/reporting.md, "What counts").
    expect(all.rejected).toBeGreaterThan(0);
    expect(all.total.count + all.rejected).toBe(DEMO_RECORD_COUNT);
    expect(all.rows.map((r) => r.key.month)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    expect(all.total.citizens).toBeGreaterThan(1000);
    const reviewed = await store.tally({
      scope: { kind: 'commune', communeCode: '99001' },
      from: '2026-08-01',
      to: '2026-11-28',
      groupBy: [],
      reviewState: 'none',
    });
    expect(reviewed.total.count).toBeLessThan(DEMO_RECORD_COUNT);
    expect(reviewed.total.count).toBeGreaterThan(DEMO_RECORD_COUNT / 2);
    const q = quarterOf('2026-11-28');
    expect(q).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    const targets = await store.listTargets('99001', q.from, q.to);
    expect(targets).toHaveLength(7);
    expect(targets.filter((t) => t.teamId === 'team-1')).toHaveLength(1);
    const hamlets = await store.hamletIds('99001');
    const page = await store.exportPage(
      { scope: { kind: 'commune', communeCode: '99001' }, from: '2026-01-01', to: '2026-12-31' },
      null,
      300,
    );
    for (const r of page) {
      // The key is the server's own field (a made-up one here: no ID number behind it), not a
      // client's: the record rules check the rest.
      const { citizenKey, ...fields } = r.data;
      if (citizenKey !== undefined) expect(citizenKey).toMatch(/^[0-9a-f]{64}$/);
      expect(validateRecord(fields, { hamletIds: hamlets }).ok, JSON.stringify(r.data)).toBe(true);
    }
  });

  it('seeds a few weeks of valid group sessions across hamlets and topics, counted apart', async () => {
    const commune = { scope: { kind: 'commune' as const, communeCode: '99001' }, communeCode: '99001' };
    const rows = await store.sessionReportRows({ ...commune, from: '2026-01-01', to: '2026-12-31' });
    expect(rows).toHaveLength(DEMO_SESSION_COUNT);
    const context = {
      hamletIds: await store.hamletIds('99001'),
      topicCodes: new Set(DEFAULT_SESSION_TOPICS.map((t) => t.code)),
    };
    for (const r of rows) expect(validateSession(r.data, context).ok, JSON.stringify(r.data)).toBe(true);
    // Every hamlet and every default topic, "Ứng dụng AI" included; weeks before today, none after.
    expect(new Set(rows.map((r) => r.hamletId))).toEqual(new Set(DEMO_HAMLETS.map((h) => h.id)));
    expect(new Set(rows.map((r) => r.topic))).toEqual(new Set(DEFAULT_SESSION_TOPICS.map((t) => t.code)));
    expect(rows.filter((r) => r.topic === 'ai_apps').length).toBeGreaterThan(1);
    const days = rows.map((r) => r.heldOn).sort();
    expect(days.at(-1)! <= '2026-11-28').toBe(true);
    expect(days[0]! <= '2026-10-10').toBe(true);
    expect(new Set(rows.map((r) => r.teamId))).toEqual(new Set(['team-1', 'team-2']));
    // Reviewed in part; the one refused in review stays out of the totals, beside them.
    const tally = tallySessions(rows, ['topic']);
    expect(tally.rejected.sessions).toBe(1);
    expect(tally.total.sessions).toBe(DEMO_SESSION_COUNT - 1);
    expect(tally.total.attendees).toBeGreaterThan(DEMO_SESSION_COUNT * 10);
    expect(rows.some((r) => r.reviewState === 'has_issues')).toBe(true);
    // Never among the records: the individual assistance count is the records' alone.
    expect(await db.count('records')).toBe(DEMO_RECORD_COUNT);
    // The quarter's session targets have something achieved.
    const q = quarterOf('2026-11-28');
    const targets = (await store.listTargets('99001', q.from, q.to)).filter((t) =>
      t.category.startsWith('group_'),
    );
    expect(targets.map((t) => t.category).sort()).toEqual(['group_attendees', 'group_sessions']);
    for (const t of targets) expect(await sessionTargetAchieved(store, t)).toBeGreaterThan(0);
  });

  it('adds nothing to a database that is not empty', async () => {
    expect(await seedDemo(store, { activity: true })).toBe(false);
    expect(await db.count('records')).toBe(DEMO_RECORD_COUNT);
  });
});
