// The citizen cells (migration 20261128-10) against the full scan, on both stores: after random
// inserts, edits that move records between cells, citizen changes, deletes and prunes, interleaved
// with tallies (so cells are built, then made stale, then rebuilt), every tally the cells answer
// (counts and distinct citizens) equals the same tally counted from `records`, and so do the cells
// read directly.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogRecord, StoredData, TallyDimension } from '../../src/shared/index.ts';
import {
  cellsAnswer,
  cellsSql,
  countCells,
  type CellRow,
} from '../../src/server/store/tallies/citizen-cells.ts';
import { toTallyResponse, type RawTallyRow } from '../../src/server/store/tallies/rows.ts';
import { tallyGroupsSql } from '../../src/server/store/tallies/sql.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
import { citizenNo } from '../../src/server/store/sqlite/queries.ts';
import type { RecordRow, Store, TallyInput } from '../../src/server/store/store.ts';
import {
  STORE_KINDS,
  migrationsUpTo,
  pgClient,
  setupAll,
  testDatabase,
  type PartialMigrations,
  type TestDatabase,
} from './harness.ts';

const HAMLETS = ['thon-dong', 'thon-tay', 'thon-nam'];
const CATEGORIES = ['vneid_l2', 'online_filing', 'can_cuoc'] as const;
// Quarter, month and ISO-week edges (2026-12-31 and 2027-01-01 are both in 2026-W53).
const DAYS = ['2026-03-29', '2026-03-30', '2026-04-01', '2026-06-30', '2026-12-31', '2027-01-01'];
// The citizen number is the first 15 hex digits of the key: these differ there. Many citizens for
// few records, so that a stale cell changes a distinct count instead of hiding among repeats.
const CITIZENS = [
  null,
  ...Array.from({ length: 24 }, (_, i) => (i + 1).toString(16).padStart(4, '0').repeat(16)),
];
const CELL_DIMENSIONS: TallyDimension[] = ['hamlet', 'category', 'day', 'week', 'month', 'quarter'];

interface Fields {
  occurredOn: string;
  hamletId: string;
  category: string;
  citizenKey: string | null;
}

const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  occurredOn: fc.constantFrom(...DAYS),
  hamletId: fc.constantFrom(...HAMLETS),
  category: fc.constantFrom(...CATEGORIES),
  citizenKey: fc.constantFrom(...CITIZENS),
});

interface Query {
  from: string;
  to: string;
  groupBy: TallyDimension[];
  category?: string;
  hamlet?: string;
}

const queryArb: fc.Arbitrary<Query> = fc
  .record({
    from: fc.constantFrom('2026-01-01', '2026-03-30', '2026-04-01'),
    to: fc.constantFrom('2026-03-31', '2026-06-30', '2027-12-31'),
    groupBy: fc.shuffledSubarray(CELL_DIMENSIONS, { minLength: 0, maxLength: 3 }),
    filter: fc.oneof(
      { arbitrary: fc.constant({}), weight: 3 },
      { arbitrary: fc.constantFrom(...CATEGORIES).map((category) => ({ category })), weight: 1 },
      { arbitrary: fc.constantFrom(...HAMLETS).map((hamlet) => ({ hamlet })), weight: 1 },
    ),
  })
  .map(({ filter, ...q }) => ({ ...q, ...filter }));

type Op =
  | { op: 'put'; fields: Fields }
  | { op: 'bulk'; rows: { fields: Fields; deleted: boolean }[] }
  | { op: 'edit'; pick: number; fields: Partial<Fields> & { outcome?: string } }
  | { op: 'review'; pick: number; state: string }
  | { op: 'delete'; pick: number }
  | { op: 'hardDelete'; pick: number }
  | { op: 'prune' }
  | { op: 'tally'; query: Query };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('put' as const), fields: fieldsArb }), weight: 4 },
  {
    arbitrary: fc.record({
      op: fc.constant('bulk' as const),
      rows: fc.array(fc.record({ fields: fieldsArb, deleted: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('edit' as const),
      pick: fc.nat(),
      // One field at a time: each cell column must move a record on its own; the outcome is not a
      // cell column (an edit of it must leave the cells right, rebuilt or not).
      fields: fc.oneof(
        fc.constantFrom(...DAYS).map((occurredOn) => ({ occurredOn })),
        fc.constantFrom(...HAMLETS).map((hamletId) => ({ hamletId })),
        fc.constantFrom(...CATEGORIES).map((category) => ({ category })),
        {
          arbitrary: fc.constantFrom(...CITIZENS).map((citizenKey) => ({ citizenKey })),
          weight: 3,
        },
        fc.constantFrom('done', 'failed').map((outcome) => ({ outcome })),
      ),
    }),
    weight: 6,
  },
  {
    // Refusing a record takes it out of its cell's figures; a later review puts it back.
    arbitrary: fc.record({
      op: fc.constant('review' as const),
      pick: fc.nat(),
      state: fc.constantFrom('rejected', 'approved', 'has_issues'),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('hardDelete' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('prune' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tally' as const), query: queryArb }), weight: 3 },
);

interface Raw {
  all<T = RawTallyRow>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function rawOf(db: TestDatabase): Promise<Raw> {
  if (db.kind === 'sqlite') {
    const sqlite = new Database(join(db.name, SQLITE_FILE_NAME), { readonly: true });
    return {
      all: async <T>(sql: string, params: unknown[]) => sqlite.prepare(sql).all(...params) as T[],
      close: async () => void sqlite.close(),
    };
  }
  const client: pg.Client = await pgClient(db.name);
  return {
    all: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}

function inputOf(commune: string, q: Query): TallyInput {
  return {
    scope: { kind: 'commune', communeCode: commune },
    communeCode: commune,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    category: q.category,
    hamlet: q.hamlet,
  };
}

/**
 * The same tally counted from `records` alone (count and distinct citizen_no in one scan), refused
 * records beside it.
 */
async function scan(raw: Raw, kind: 'sqlite' | 'postgres', input: TallyInput) {
  const groups = input.groupBy.length ? tallyGroupsSql(input, input.groupBy, kind) : null;
  const total = tallyGroupsSql(input, [], kind);
  const refused = tallyGroupsSql({ ...input, reviewState: 'rejected' }, [], kind);
  return toTallyResponse(
    input.groupBy,
    groups ? await raw.all(groups.sql, groups.params) : [],
    (await raw.all(total.sql, total.params))[0],
    { rejected: (await raw.all(refused.sql, refused.params))[0]!.count },
  );
}

describe.each(STORE_KINDS)('citizen cells on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let raw: Raw;
  let reviewer = '';
  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
    await seedDemo(store);
    reviewer = (await store.findUserByUsername('demo-gs'))!.id;
    raw = await rawOf(db);
  });
  afterAll(async () => {
    await raw?.close();
    await store?.close();
    await db?.drop();
  });

  let communeNo = 0;
  let idNo = 0;
  const nextId = () => `cell-${kind}-${++idNo}`;
  const p = (n: number) => (kind === 'sqlite' ? '?' : `$${n}`);

  function row(
    commune: string,
    id: string,
    f: Fields & { outcome?: string },
    deleted: boolean,
    version: number,
  ) {
    const data: Partial<StoredData> = {
      id,
      occurredOn: f.occurredOn,
      hamletId: f.hamletId,
      category: f.category as LogRecord['category'],
      outcome: (f.outcome ?? 'done') as LogRecord['outcome'],
    };
    if (f.citizenKey) data.citizenKey = f.citizenKey;
    const r: RecordRow = {
      id,
      communeCode: commune,
      teamId: 't1',
      volunteerId: 'v1',
      version,
      deleted,
      data,
      fieldMeta: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    return r;
  }

  /** The tally through the store, the scan and the cells read directly: all three agree. */
  async function check(commune: string, q: Query): Promise<void> {
    const input = inputOf(commune, q);
    expect(cellsAnswer(input)).toBe(true);
    const got = await store.tally(input);
    const truth = await scan(raw, kind, input);
    expect(got).toEqual(truth);
    // The store rebuilt the period's dirty days, so its cells alone must give the answer.
    const dirty = await raw.all<{ n: number | string }>(
      `SELECT count(*) AS n FROM citizen_days_dirty WHERE commune_code = ${p(1)} AND day >= ${p(2)} AND day <= ${p(3)}`,
      [commune, q.from, q.to],
    );
    expect(Number(dirty[0]!.n)).toBe(0);
    const cells = cellsSql(input, kind);
    const counted = countCells(input.groupBy, await raw.all<CellRow>(cells.sql, cells.params));
    expect(
      toTallyResponse(input.groupBy, counted.groups, counted.total, { rejected: counted.rejected }),
    ).toEqual(truth);
  }

  async function apply(
    commune: string,
    live: Map<string, Fields & { deleted: boolean }>,
    o: Op,
  ): Promise<void> {
    const ids = [...live.keys()];
    const picked = ids.length ? ids[('pick' in o ? o.pick : 0) % ids.length]! : null;
    switch (o.op) {
      case 'put': {
        const id = nextId();
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, id, o.fields, false, await tx.nextVersion())),
        );
        live.set(id, { ...o.fields, deleted: false });
        return;
      }
      case 'bulk': {
        const made = o.rows.map((r) => ({ ...r, id: nextId() }));
        await store.transaction(async (tx) => {
          const last = await tx.reserveVersions(made.length);
          await tx.insertRecords(
            made.map((m, i) => row(commune, m.id, m.fields, m.deleted, last - made.length + 1 + i)),
          );
        });
        for (const m of made) live.set(m.id, { ...m.fields, deleted: m.deleted });
        return;
      }
      case 'edit': {
        if (!picked || live.get(picked)!.deleted) return;
        const after = { ...live.get(picked)!, ...o.fields };
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, picked, after, false, await tx.nextVersion())),
        );
        live.set(picked, after);
        return;
      }
      case 'review': {
        if (!picked || live.get(picked)!.deleted) return;
        await store.transaction(async (tx) =>
          tx.setReview({
            recordId: picked,
            version: await tx.nextVersion(),
            state: o.state,
            comment: null,
            userId: reviewer,
            at: '2026-01-02T00:00:00.000Z',
          }),
        );
        return;
      }
      case 'delete': {
        if (!picked) return;
        const m = live.get(picked)!;
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, picked, m, true, await tx.nextVersion())),
        );
        m.deleted = true;
        return;
      }
      case 'hardDelete': {
        if (!picked) return;
        await db.exec(`DELETE FROM records WHERE id = ${p(1)}`, [picked]);
        live.delete(picked);
        return;
      }
      case 'prune': {
        await store.prune('2999-01-01T00:00:00.000Z');
        for (const [id, m] of live) if (m.deleted) live.delete(id);
        return;
      }
      case 'tally':
        await check(commune, o.query);
        return;
    }
  }

  it('answers what the scan answers after any random writes, moves, citizen changes and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 8, maxLength: 40 }),
        fc.array(queryArb, { minLength: 1, maxLength: 3 }),
        async (ops, last) => {
          const commune = `c${++communeNo}`;
          const live = new Map<string, Fields & { deleted: boolean }>();
          for (const o of ops) await apply(commune, live, o);
          for (const q of last) await check(commune, q);
        },
      ),
      { numRuns: 40 },
    );
    // Several hundred store round trips on PostgreSQL: above the default 20 s on a loaded machine.
  }, 120_000);

  it('rebuilds only what a write made stale, and counts a citizen once across cells and days', async () => {
    const commune = `c${++communeNo}`;
    const live = new Map<string, Fields & { deleted: boolean }>();
    const same = '7'.repeat(64);
    const year: Query = { from: '2026-01-01', to: '2027-12-31', groupBy: ['hamlet'] };
    for (const [day, hamlet] of [
      ['2026-03-29', 'thon-dong'],
      ['2026-03-30', 'thon-dong'],
      ['2026-03-30', 'thon-tay'],
    ] as const)
      await apply(commune, live, {
        op: 'put',
        fields: { occurredOn: day, hamletId: hamlet, category: 'can_cuoc', citizenKey: same },
      });
    await check(commune, year);
    const tally = await store.tally(inputOf(commune, year));
    expect(tally.total).toEqual({ count: 3, citizens: 1 });
    expect(tally.rows.map((r) => [r.key.hamlet, r.count, r.citizens])).toEqual([
      ['thon-dong', 2, 1],
      ['thon-tay', 1, 1],
    ]);
    // An edit of a column no cell holds marks nothing; a move marks the day it left and the one it joined.
    const [first] = live.keys();
    const marked = async () =>
      (
        await raw.all<{ day: string }>(
          `SELECT day FROM citizen_days_dirty WHERE commune_code = ${p(1)} ORDER BY day`,
          [commune],
        )
      ).map((m) => m.day);
    await apply(commune, live, { op: 'edit', pick: 0, fields: { outcome: 'failed' } });
    expect(await marked()).toEqual([]);
    await apply(commune, live, { op: 'edit', pick: 0, fields: { occurredOn: '2026-06-30' } });
    expect(await marked()).toEqual(['2026-03-29', '2026-06-30']);
    expect(live.get(first!)!.occurredOn).toBe('2026-06-30');
    await check(commune, { ...year, groupBy: ['quarter'] });
    // Another citizen on the same record: its day only.
    await apply(commune, live, { op: 'edit', pick: 0, fields: { citizenKey: '8'.repeat(64) } });
    expect(await marked()).toEqual(['2026-06-30']);
    await check(commune, { ...year, groupBy: ['quarter'] });
    expect((await store.tally(inputOf(commune, year))).total).toEqual({ count: 3, citizens: 2 });
  });
});

describe.each(STORE_KINDS)('data migration 20261128-10-citizen-cells on %s', (kind) => {
  let migrations: PartialMigrations | null = null;
  let db: TestDatabase | null = null;
  afterAll(async () => {
    await db?.drop();
    migrations?.remove();
  });

  it('marks the days already stored, so the first tally builds their cells exactly', async () => {
    migrations = migrationsUpTo(kind, '20261128-10-');
    db = await testDatabase(kind);
    const before = db.open({ migrationsDir: migrations.dir });
    await before.migrate();
    await before.close();
    const commune = 'm1';
    // Written with SQL of that schema: today's store writes columns of later migrations.
    const rows: [string, string, string | null, boolean][] = [
      ['m-a', '2026-02-01', '8', false],
      ['m-b', '2026-02-02', '8', false],
      ['m-c', '2026-02-02', '9', false],
      ['m-d', '2026-02-02', 'a', true],
    ];
    for (const [id, day, citizen, deleted] of rows) {
      const key = citizen ? citizen.repeat(64) : null;
      const data = JSON.stringify({
        id,
        occurredOn: day,
        hamletId: 'thon-dong',
        category: 'can_cuoc',
        outcome: 'done',
        ...(key ? { citizenKey: key } : {}),
      });
      if (kind === 'sqlite')
        await db.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at, occurred_on, hamlet_id, category, outcome, citizen_no)
           VALUES (?, ?, 't1', 'v1', 1, ?, ?, '{}', 'a', 'a', ?, 'thon-dong', 'can_cuoc', 'done', ?)`,
          [id, commune, deleted ? 1 : 0, data, day, citizenNo(key)],
        );
      else
        await db.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at) VALUES ($1, $2, 't1', 'v1', 1, $3, $4, '{}', now(), now())`,
          [id, commune, deleted, data],
        );
    }
    migrations.addRest();
    const store = db.open({ migrationsDir: migrations.dir });
    try {
      expect((await store.migrate()).applied).toContain('20261128-10-citizen-cells.sql');
      expect(await db.count('citizen_days_dirty')).toBe(2);
      const t = await store.tally({
        scope: { kind: 'commune', communeCode: commune },
        from: '2026-01-01',
        to: '2026-12-31',
        groupBy: ['day'],
      });
      expect(t.rows.map((r) => [r.key.day, r.count, r.citizens])).toEqual([
        ['2026-02-01', 1, 1],
        ['2026-02-02', 2, 2],
      ]);
      expect(t.total).toEqual({ count: 3, citizens: 2 });
      expect(await db.count('citizen_days_dirty')).toBe(0);
      expect(await db.count('citizen_cells')).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('citizen cells with two server processes on one PostgreSQL database', () => {
  let db: TestDatabase;
  let writer: Store;
  let reader: Store;
  let raw: Raw;
  setupAll(async () => {
    db = await testDatabase('postgres');
    writer = db.open();
    await writer.migrate();
    reader = db.open();
    await reader.migrate();
    raw = await rawOf(db);
  });
  afterAll(async () => {
    await raw?.close();
    await writer?.close();
    await reader?.close();
    await db?.drop();
  });

  it('loses no write: tallies rebuilding cells while the other process writes end equal to the scan', async () => {
    const commune = 'two';
    const q: Query = { from: '2026-01-01', to: '2027-12-31', groupBy: ['day', 'hamlet'] };
    const input = inputOf(commune, q);
    let done = false;
    const writes = (async () => {
      for (let i = 0; i < 60; i++) {
        const id = `two-${i}`;
        const f: Fields = {
          occurredOn: DAYS[i % DAYS.length]!,
          hamletId: HAMLETS[i % HAMLETS.length]!,
          category: CATEGORIES[i % CATEGORIES.length]!,
          citizenKey: CITIZENS[1 + (i % (CITIZENS.length - 1))]!,
        };
        await writer.transaction(async (tx) =>
          tx.putRecord({
            id,
            communeCode: commune,
            teamId: 't1',
            volunteerId: 'v1',
            version: await tx.nextVersion(),
            deleted: false,
            data: { id, ...f, category: f.category as LogRecord['category'], outcome: 'done' },
            fieldMeta: {},
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          }),
        );
      }
      done = true;
    })();
    let tallies = 0;
    while (!done) {
      await reader.tally(input);
      tallies += 1;
    }
    await writes;
    expect(tallies).toBeGreaterThan(0);
    expect(await reader.tally(input)).toEqual(await scan(raw, 'postgres', input));
  }, 120_000);
});
