// The living demo: `npm run demo` seeds months of made-up activity, only into an empty database,
// quickly, on both stores.
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_RECORD_COUNT, quarterOf, seedDemo } from '../../src/server/demo.ts';
import type { Store } from '../../src/server/store/store.ts';
import { validateRecord } from '../../src/shared/index.ts';
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
    expect(targets).toHaveLength(5);
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

  it('adds nothing to a database that is not empty', async () => {
    expect(await seedDemo(store, { activity: true })).toBe(false);
    expect(await db.count('records')).toBe(DEMO_RECORD_COUNT);
  });
});
