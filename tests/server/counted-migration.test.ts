// Migrations 20261208-01 (counted records), -02 (payment and failure reason) and -03 (targets per
// team) on a database that already holds records, cells, rollup counters and a target: after them
// the figures leave out the records refused before, the new columns are filled from the stored data,
// and the old target is the commune's.
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo.ts';
import { citizenNo } from '../../src/server/store/sqlite/queries.ts';
import {
  STORE_KINDS,
  migrationsUpTo,
  testDatabase,
  type PartialMigrations,
  type TestDatabase,
} from './harness.ts';

const COMMUNE = '99001';
const OURS = [
  '20261208-01-counted-records.sql',
  '20261208-02-payment-and-fail-reason.sql',
  '20261208-03-team-targets.sql',
];

interface Row {
  id: string;
  day: string;
  hamlet: string;
  category: string;
  outcome: string;
  service?: string;
  paidOnline?: boolean;
  failReason?: string;
  citizen: string | null;
  /** Set by a review after the cells were built (the old triggers marked nothing then). */
  refused?: boolean;
}

const ROWS: Row[] = [
  {
    id: 'c1',
    day: '2026-04-02',
    hamlet: 'thon-dong',
    category: 'online_filing',
    outcome: 'done',
    service: 'CA-03',
    paidOnline: true,
    citizen: 'a',
  },
  {
    id: 'c2',
    day: '2026-04-02',
    hamlet: 'thon-dong',
    category: 'online_filing',
    outcome: 'done',
    service: 'CA-03',
    paidOnline: false,
    citizen: 'b',
    refused: true,
  },
  {
    id: 'c3',
    day: '2026-04-03',
    hamlet: 'thon-tay',
    category: 'vneid_l1',
    outcome: 'failed',
    failReason: 'no_signal',
    citizen: 'c',
  },
  {
    id: 'c4',
    day: '2026-04-03',
    hamlet: 'thon-tay',
    category: 'vneid_l1',
    outcome: 'failed',
    failReason: 'other',
    citizen: null,
    refused: true,
  },
  { id: 'c5', day: '2026-04-04', hamlet: 'thon-nam', category: 'can_cuoc', outcome: 'done', citizen: 'a' },
];

describe.each(STORE_KINDS)('data migrations 20261208-01…03 on %s', (kind) => {
  let migrations: PartialMigrations | null = null;
  let db: TestDatabase | null = null;
  afterAll(async () => {
    await db?.drop();
    migrations?.remove();
  });

  it('leave out records refused before, fill payment and failure reason, keep old targets commune-wide', async () => {
    migrations = migrationsUpTo(kind, '20261208-01-');
    db = await testDatabase(kind);
    const before = db.open({ migrationsDir: migrations.dir });
    await before.migrate();
    await seedDemo(before);
    const d = db;
    const p = (i: number) => (kind === 'sqlite' ? '?' : `$${i}`);
    for (const r of ROWS) {
      const key = r.citizen ? r.citizen.repeat(64) : null;
      const data = JSON.stringify({
        id: r.id,
        occurredOn: r.day,
        hamletId: r.hamlet,
        category: r.category,
        outcome: r.outcome,
        ...(r.service ? { serviceCode: r.service } : {}),
        ...(r.paidOnline !== undefined ? { paidOnline: r.paidOnline } : {}),
        ...(r.failReason ? { failReason: r.failReason } : {}),
        ...(key ? { citizenKey: key } : {}),
      });
      // The SQL of that schema: SQLite's writer set the tally columns of 20261128-03 itself.
      if (kind === 'sqlite')
        await d.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at, occurred_on, hamlet_id, category, outcome, service_code, citizen_no)
           VALUES (?, ?, 'team-1', 'v1', 1, 0, ?, '{}', 'a', 'a', ?, ?, ?, ?, ?, ?)`,
          [r.id, COMMUNE, data, r.day, r.hamlet, r.category, r.outcome, r.service ?? null, citizenNo(key)],
        );
      else
        await d.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at) VALUES ($1, $2, 'team-1', 'v1', 1, false, $3, '{}', now(), now())`,
          [r.id, COMMUNE, data],
        );
    }
    // Cells as the code of that schema built them, while every record counted (numbers a=1, b=2,
    // c=3), then the reviews: the old triggers marked no day.
    await d.exec('DELETE FROM citizen_days_dirty');
    const no = (c: string) => String(citizenNo(c.repeat(64)));
    for (const [c, id] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await d.exec(
        `INSERT INTO citizen_numbers (commune_code, citizen_no, id) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
        [COMMUNE, no(c), id],
      );
    const ids = (...n: number[]) => {
      const b = Buffer.alloc(n.length * 4);
      n.forEach((v, i) => b.writeUInt32LE(v, i * 4));
      return b;
    };
    for (const [day, hamlet, category, n, members] of [
      ['2026-04-02', 'thon-dong', 'online_filing', 2, ids(1, 2)],
      ['2026-04-03', 'thon-tay', 'vneid_l1', 2, ids(3)],
      ['2026-04-04', 'thon-nam', 'can_cuoc', 1, ids(1)],
    ] as const)
      await d.exec(
        `INSERT INTO citizen_cells (commune_code, day, hamlet_id, category, n, ids)
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
        [COMMUNE, day, hamlet, category, n, members],
      );
    for (const r of ROWS)
      if (r.refused) await d.exec(`UPDATE records SET review_state = 'rejected' WHERE id = ${p(1)}`, [r.id]);
    expect(await d.count('citizen_days_dirty')).toBe(0);
    await d.exec(
      `INSERT INTO targets (id, commune_code, period_from, period_to, category, outcome, hamlet_id, target,
         label, updated_by, updated_at)
       VALUES ('old-target', ${p(1)}, '2026-04-01', '2026-06-30', 'online_filing', '', '', 10, NULL, 'x', ${p(2)})`,
      [COMMUNE, '2026-04-01T00:00:00.000Z'],
    );
    await before.close();

    migrations.addRest();
    const store = d.open({ migrationsDir: migrations.dir });
    try {
      const applied = (await store.migrate()).applied;
      for (const name of OURS) expect(applied).toContain(name);
      // Only the days holding a refused record need their cells rebuilt.
      expect(await d.count('citizen_days_dirty')).toBe(2);
      const scope = { kind: 'commune' as const, communeCode: COMMUNE };
      const q2 = { scope, from: '2026-04-01', to: '2026-06-30' };
      // The citizen cells.
      const byDay = await store.tally({ ...q2, groupBy: ['day'] });
      expect(byDay.rows.map((r) => [r.key.day, r.count, r.citizens])).toEqual([
        ['2026-04-02', 1, 1],
        ['2026-04-03', 1, 1],
        ['2026-04-04', 1, 1],
      ]);
      expect(byDay.total).toEqual({ count: 3, citizens: 2 });
      expect(byDay.rejected).toBe(2);
      // The rebuilt rollup.
      const byOutcome = await store.tally({ ...q2, groupBy: ['outcome', 'service'] });
      expect(byOutcome.rows.map((r) => [r.key.outcome, r.key.service, r.count])).toEqual([
        ['done', null, 1],
        ['done', 'CA-03', 1],
        ['failed', null, 1],
      ]);
      expect(byOutcome.rejected).toBe(2);
      // The columns filled from the stored data.
      const paid = await store.tally({ ...q2, groupBy: ['paidOnline'] });
      expect(paid.rows.map((r) => [r.key.paidOnline, r.count])).toEqual([
        [null, 2],
        [true, 1],
      ]);
      const refusedPaid = await store.tally({ ...q2, groupBy: ['paidOnline'], reviewState: 'rejected' });
      expect(refusedPaid.rows.map((r) => [r.key.paidOnline, r.count])).toEqual([
        [null, 1],
        [false, 1],
      ]);
      const reasons = await store.tally({ ...q2, groupBy: ['failReason'], includeRejected: true });
      expect(reasons.rows.map((r) => [r.key.failReason, r.count])).toEqual([
        [null, 3],
        ['no_signal', 1],
        ['other', 1],
      ]);
      expect(reasons.rejected).toBe(0);
      // The old target is the commune's; a team's target with the same key is another target.
      const [old] = await store.listTargets(COMMUNE, '2026-04-01', '2026-06-30');
      expect(old).toMatchObject({ id: 'old-target', teamId: null, hamletId: null, target: 10 });
      const base = {
        communeCode: COMMUNE,
        period: { from: '2026-04-01', to: '2026-06-30' },
        category: 'online_filing',
        outcome: null,
        hamletId: null,
        label: null,
      };
      await store.transaction(async (tx) => {
        await tx.putTarget({ ...base, id: 'team-target', teamId: 'team-1', target: 3 }, 'x', 'now');
        await tx.putTarget({ ...base, id: 'ignored', teamId: null, target: 12 }, 'x', 'now');
      });
      const after = await store.listTargets(COMMUNE, '2026-04-01', '2026-06-30');
      expect(after.map((t) => [t.id, t.teamId, t.target])).toEqual([
        ['old-target', null, 12],
        ['team-target', 'team-1', 3],
      ]);
    } finally {
      await store.close();
    }
  });
});
