// The citizen cells of the dirty days rebuilt once at server start (src/server/reporting/
// rebuild-at-start.ts), on both stores: `cli.ts` started on a database with dirty days leaves none
// dirty without any request, in runs of at most DIRTY_DAYS_PER_REBUILD days; on PostgreSQL the
// rebuild stands aside while another process holds the migration lock.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DIRTY_DAYS_PER_REBUILD } from '../../src/server/store/tallies/citizen-cells.ts';
import { MIGRATION_LOCK_NAMESPACE } from '../../src/server/store/postgres/migrate.ts';
import type { RecordRow, Store } from '../../src/server/store/store.ts';
import { start, stop, type Running } from './cli-process.ts';
import { STORE_KINDS, pgClient, removeDir, tempDir, testDatabase, type TestDatabase } from './harness.ts';

/** A day `i` days after 2026-01-01. */
function dayOf(i: number): string {
  return new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
}

/** One live record a day for `days` days in commune `a`, and three days in commune `b`. */
async function writeDirtyDays(store: Store, days: number): Promise<void> {
  const rows: [string, string][] = [
    ...Array.from({ length: days }, (_, i): [string, string] => ['a', dayOf(i)]),
    ...[0, 1, 2].map((i): [string, string] => ['b', dayOf(i)]),
  ];
  await store.transaction(async (tx) => {
    const last = await tx.reserveVersions(rows.length);
    await tx.insertRecords(
      rows.map(([commune, day], i): RecordRow => {
        const id = `start-${commune}-${i}`;
        return {
          id,
          communeCode: commune,
          teamId: 't1',
          volunteerId: 'v1',
          version: last - rows.length + 1 + i,
          deleted: false,
          data: {
            id,
            occurredOn: day,
            hamletId: 'thon-dong',
            category: 'can_cuoc',
            outcome: 'done',
            citizenKey: (i % 5).toString(16).repeat(64),
          },
          fieldMeta: {},
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        };
      }),
    );
  });
}

/** Waits (up to 20 s) until `ok` holds, saying `what` it waited for when it does not. */
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(async () => expect(await ok(), `waiting until ${what}`).toBe(true), {
    timeout: 20_000,
    interval: 50,
  });
}

describe.each(STORE_KINDS)('citizen cells rebuilt at server start on %s', (kind) => {
  const dir = tempDir();
  let db: TestDatabase | null = null;
  let running: Running | null = null;
  afterAll(async () => {
    if (running) await stop(running);
    await db?.drop();
    removeDir(dir);
  });

  it('leaves no dirty day, with no tally asked, and logs how long it took', async () => {
    db = await testDatabase(kind);
    const days = DIRTY_DAYS_PER_REBUILD + 9;
    const store = db.open();
    try {
      await store.migrate();
      await writeDirtyDays(store, days);
    } finally {
      await store.close();
    }
    expect(await db.count('citizen_days_dirty')).toBe(days + 3);
    expect(await db.count('citizen_cells')).toBe(0);

    running = await start(kind === 'sqlite' ? db.name : dir, [], db.env());
    const d = db;
    await until('no day is dirty', async () => (await d.count('citizen_days_dirty')) === 0);
    expect(await db.count('citizen_cells')).toBe(days + 3);
    await until('the rebuild is logged', async () =>
      /citizen cells: \d+ dirty days rebuilt/.test(running!.stderr()),
    );
    const line = running
      .stderr()
      .split('\n')
      .find((l) => l.includes('dirty days rebuilt at start'));
    // Commune a in two runs (the size of a run, then the rest), commune b in one.
    expect(JSON.parse(line ?? '{}')).toMatchObject({ days: days + 3, transactions: 3 });
    expect(await stop(running)).toBe(0);
    running = null;

    // The cells it built are the ones a tally reads: the scan's counts and citizens.
    const after = db.open();
    try {
      await after.migrate();
      const t = await after.tally({
        scope: { kind: 'commune', communeCode: 'b' },
        from: '2026-01-01',
        to: '2026-12-31',
        groupBy: ['day'],
      });
      expect(t.rows.map((r) => [r.key.day, r.count, r.citizens])).toEqual([
        ['2026-01-01', 1, 1],
        ['2026-01-02', 1, 1],
        ['2026-01-03', 1, 1],
      ]);
      expect(t.total).toEqual({ count: 3, citizens: 3 });
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('citizen cells at start on postgres, while another process migrates', () => {
  let db: TestDatabase | null = null;
  afterAll(async () => {
    await db?.drop();
  });

  it('stands aside (nothing rebuilt, nothing lost) until the migration lock is free', async () => {
    db = await testDatabase('postgres');
    const store = db.open();
    const other = await pgClient();
    try {
      await store.migrate();
      await writeDirtyDays(store, 2);
      await other.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_NAMESPACE, db.name]);
      expect(await store.rebuildCitizenCells()).toEqual({ days: 0, transactions: 0, complete: false });
      expect(await db.count('citizen_days_dirty')).toBe(5);
      await other.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_NAMESPACE, db.name]);
      expect(await store.rebuildCitizenCells()).toEqual({ days: 5, transactions: 2, complete: true });
      expect(await db.count('citizen_days_dirty')).toBe(0);
    } finally {
      await other.end();
      await store.close();
    }
  });
});
