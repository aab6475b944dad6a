// The maintained daily aggregates (migrations 20261128-04, 20261208-01) against the truth, on both
// stores: after random writes, edits, reviews, deletes and prunes, every tally read from the
// aggregates equals the same tally counted from a model of what was written AND the full scan of
// `records` — counted records only (refused ones out, beside them as `rejected`) unless a review
// state is asked for, in both views.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DE_AN_06_CATEGORIES,
  POLICE_SERVICE_CODES,
  REVIEW_STATES,
  TALLY_DIMENSIONS,
  isoWeek,
  type LogRecord,
  type StoredData,
  type TallyDimension,
  type TallyKey,
  type TallyResponse,
} from '../../src/shared/index.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { toTallyResponse, type RawTallyRow } from '../../src/server/store/tallies/rows.ts';
import { tallyGroupsSql } from '../../src/server/store/tallies/sql.ts';
import { SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
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
const OUTCOMES = ['done', 'failed', 'submitted'] as const;
const SERVICES = [null, 'CA-03', 'CA-04', 'XA-02'];
const PAID = [null, true, false];
const FAIL_REASONS = [null, 'no_signal', 'other'];
const DAYS = ['2026-03-30', '2026-03-31', '2026-04-01', '2026-06-30', '2026-07-01', '2026-12-31'];
const CITIZENS = [null, 'a', 'b', 'c'].map((c) => (c ? c.repeat(64) : null));
const TEAMS = ['t1', 't2'];
const VOLUNTEERS = [
  { id: 'v1', team: 't1' },
  { id: 'v2', team: 't1' },
  { id: 'v3', team: 't2' },
];

interface Fields {
  occurredOn: string;
  hamletId: string;
  category: string;
  outcome: string;
  serviceCode: string | null;
  citizenKey: string | null;
  volunteer: number;
  paidOnline: boolean | null;
  failReason: string | null;
}

/** What the test believes is stored: the oracle counts from this. */
interface ModelRecord extends Fields {
  deleted: boolean;
  reviewState: string | null;
}

const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  occurredOn: fc.constantFrom(...DAYS),
  hamletId: fc.constantFrom(...HAMLETS),
  category: fc.constantFrom(...CATEGORIES),
  outcome: fc.constantFrom(...OUTCOMES),
  serviceCode: fc.constantFrom(...SERVICES),
  citizenKey: fc.constantFrom(...CITIZENS),
  volunteer: fc.nat({ max: VOLUNTEERS.length - 1 }),
  paidOnline: fc.constantFrom(...PAID),
  failReason: fc.constantFrom(...FAIL_REASONS),
});

type Op =
  | { op: 'put'; fields: Fields }
  | { op: 'bulk'; rows: { fields: Fields; deleted: boolean; review: string | null }[] }
  | { op: 'edit'; pick: number; fields: Partial<Fields> }
  | { op: 'review'; pick: number; state: string }
  | { op: 'delete'; pick: number }
  | { op: 'tombstone' }
  | { op: 'hardDelete'; pick: number }
  | { op: 'prune' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('put' as const), fields: fieldsArb }), weight: 4 },
  {
    arbitrary: fc.record({
      op: fc.constant('bulk' as const),
      rows: fc.array(
        fc.record({
          fields: fieldsArb,
          deleted: fc.boolean(),
          review: fc.constantFrom(null, ...REVIEW_STATES),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('edit' as const),
      pick: fc.nat(),
      // One field at a time: every key column must move a record between counters on its own.
      fields: fc.oneof(
        fc.constantFrom(...DAYS).map((occurredOn): Partial<Fields> => ({ occurredOn })),
        fc.constantFrom(...HAMLETS).map((hamletId): Partial<Fields> => ({ hamletId })),
        fc.constantFrom(...CATEGORIES).map((category): Partial<Fields> => ({ category })),
        fc.constantFrom(...OUTCOMES).map((outcome): Partial<Fields> => ({ outcome })),
        fc.constantFrom(...SERVICES).map((serviceCode): Partial<Fields> => ({ serviceCode })),
        fc.constantFrom(...CITIZENS).map((citizenKey): Partial<Fields> => ({ citizenKey })),
        fc.nat({ max: VOLUNTEERS.length - 1 }).map((volunteer): Partial<Fields> => ({ volunteer })),
        fc.constantFrom(...PAID).map((paidOnline): Partial<Fields> => ({ paidOnline })),
        fc.constantFrom(...FAIL_REASONS).map((failReason): Partial<Fields> => ({ failReason })),
      ),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('review' as const),
      pick: fc.nat(),
      state: fc.constantFrom(...REVIEW_STATES),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('tombstone' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('hardDelete' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('prune' as const) }), weight: 1 },
);

type Scope = { kind: 'commune' } | { kind: 'team'; team: string } | { kind: 'volunteer'; volunteer: string };

interface Query {
  scope: Scope;
  from: string;
  to: string;
  groupBy: TallyDimension[];
  category?: string | undefined;
  hamlet?: string | undefined;
  service?: string | undefined;
  reviewState?: string | undefined;
  view?: 'de_an_06' | undefined;
  paidOnline?: 'true' | 'false' | 'none' | undefined;
  failReason?: string | undefined;
  countsOnly: boolean;
}

type Filter = Pick<
  Query,
  'category' | 'hamlet' | 'service' | 'reviewState' | 'view' | 'paidOnline' | 'failReason'
>;

// At most one filter a query: several at once would leave most answers empty and prove little.
const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  { arbitrary: fc.constant<Filter>({}), weight: 3 },
  { arbitrary: fc.constantFrom(...CATEGORIES).map((category): Filter => ({ category })), weight: 1 },
  { arbitrary: fc.constantFrom(...HAMLETS).map((hamlet): Filter => ({ hamlet })), weight: 1 },
  { arbitrary: fc.constantFrom('none', 'CA-03').map((service): Filter => ({ service })), weight: 1 },
  {
    arbitrary: fc.constantFrom('none', ...REVIEW_STATES).map((reviewState): Filter => ({ reviewState })),
    weight: 1,
  },
  { arbitrary: fc.constant<Filter>({ view: 'de_an_06' }), weight: 1 },
  {
    arbitrary: fc.constantFrom('true', 'false', 'none').map((paidOnline): Filter => ({ paidOnline })),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom('no_signal', 'none').map((failReason): Filter => ({ failReason })),
    weight: 1,
  },
);

const queryArb: fc.Arbitrary<Query> = fc
  .record({
    scope: fc.oneof(
      { arbitrary: fc.constant<Scope>({ kind: 'commune' }), weight: 2 },
      { arbitrary: fc.constantFrom(...TEAMS).map((team): Scope => ({ kind: 'team', team })), weight: 1 },
      {
        arbitrary: fc.constantFrom(...VOLUNTEERS).map((v): Scope => ({ kind: 'volunteer', volunteer: v.id })),
        weight: 1,
      },
    ),
    from: fc.constantFrom('2026-01-01', '2026-03-31', '2026-04-01'),
    to: fc.constantFrom('2026-03-31', '2026-06-30', '2026-12-31'),
    groupBy: fc.shuffledSubarray([...TALLY_DIMENSIONS], { minLength: 0, maxLength: 3 }),
    filter: filterArb,
    countsOnly: fc.boolean(),
  })
  .map(({ filter, ...q }) => ({ ...q, ...filter }));

function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) + 2) / 3)}`;
}

function keyValue(d: TallyDimension, r: ModelRecord): string | boolean | null {
  const v = VOLUNTEERS[r.volunteer]!;
  switch (d) {
    case 'hamlet':
      return r.hamletId;
    case 'team':
      return v.team;
    case 'volunteer':
      return v.id;
    case 'category':
      return r.category;
    case 'service':
      return r.serviceCode;
    case 'outcome':
      return r.outcome;
    case 'day':
      return r.occurredOn;
    case 'week':
      return isoWeek(r.occurredOn);
    case 'month':
      return r.occurredOn.slice(0, 7);
    case 'quarter':
      return quarterOf(r.occurredOn);
    case 'paidOnline':
      return r.paidOnline;
    case 'failReason':
      return r.failReason;
  }
}

/** The oracle: the tally counted by hand from the model. */
function modelTally(model: Map<string, ModelRecord>, q: Query): TallyResponse {
  const matching = [...model.values()].filter((r) => {
    const v = VOLUNTEERS[r.volunteer]!;
    if (r.deleted || r.occurredOn < q.from || r.occurredOn > q.to) return false;
    if (q.scope.kind === 'team' && v.team !== q.scope.team) return false;
    if (q.scope.kind === 'volunteer' && v.id !== q.scope.volunteer) return false;
    if (q.category && r.category !== q.category) return false;
    if (q.hamlet && r.hamletId !== q.hamlet) return false;
    if (q.service && r.serviceCode !== (q.service === 'none' ? null : q.service)) return false;
    if (q.reviewState && r.reviewState !== (q.reviewState === 'none' ? null : q.reviewState)) return false;
    if (q.paidOnline && r.paidOnline !== { true: true, false: false, none: null }[q.paidOnline]) return false;
    if (q.failReason && r.failReason !== (q.failReason === 'none' ? null : q.failReason)) return false;
    if (
      q.view === 'de_an_06' &&
      !DE_AN_06_CATEGORIES.includes(r.category) &&
      !POLICE_SERVICE_CODES.includes(r.serviceCode ?? '')
    )
      return false;
    return true;
  });
  // What counts: without a review-state filter, refused records are out and counted beside.
  const refused = (r: ModelRecord) => !q.reviewState && r.reviewState === 'rejected';
  const live = matching.filter((r) => !refused(r));
  const rejected = matching.filter(refused).length;
  const groups = new Map<string, { key: TallyKey; records: ModelRecord[] }>();
  for (const r of live) {
    const key: Record<string, string | boolean | null> = {};
    for (const d of q.groupBy) key[d] = keyValue(d, r);
    const k = JSON.stringify(q.groupBy.map((d) => key[d]));
    const g = groups.get(k) ?? { key: key as TallyKey, records: [] };
    g.records.push(r);
    groups.set(k, g);
  }
  const citizens = (rs: ModelRecord[]) =>
    q.countsOnly ? 0 : new Set(rs.map((r) => r.citizenKey).filter(Boolean)).size;
  const raw = q.groupBy.length
    ? [...groups.values()].map((g) => ({
        ...Object.fromEntries(q.groupBy.map((d, i) => [`k${i}`, g.key[d]])),
        count: g.records.length,
        citizens: citizens(g.records),
      }))
    : [];
  return toTallyResponse(
    q.groupBy,
    raw as RawTallyRow[],
    { count: live.length, citizens: citizens(live) },
    { rejected },
  );
}

describe.each(STORE_KINDS)('daily aggregates on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let reviewer = '';
  let raw: { all(sql: string, params: unknown[]): Promise<RawTallyRow[]>; close(): Promise<void> };
  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
    await seedDemo(store);
    reviewer = (await store.findUserByUsername('demo-gs'))!.id;
    if (kind === 'sqlite') {
      const sqlite = new Database(join(db.name, SQLITE_FILE_NAME), { readonly: true });
      raw = {
        all: async (sql, params) => sqlite.prepare(sql).all(...params) as RawTallyRow[],
        close: async () => void sqlite.close(),
      };
    } else {
      const client: pg.Client = await pgClient(db.name);
      raw = {
        all: async (sql, params) => (await client.query<RawTallyRow>(sql, params)).rows,
        close: () => client.end(),
      };
    }
  });
  afterAll(async () => {
    await raw?.close();
    await store?.close();
    await db?.drop();
  });

  let communeNo = 0;
  let idNo = 0;
  const nextId = () => `agg-${kind}-${++idNo}`;

  function row(commune: string, id: string, f: Fields, deleted: boolean, version: number): RecordRow {
    const v = VOLUNTEERS[f.volunteer]!;
    const data: Partial<StoredData> = {
      id,
      occurredOn: f.occurredOn,
      hamletId: f.hamletId,
      category: f.category as LogRecord['category'],
      outcome: f.outcome as LogRecord['outcome'],
    };
    if (f.serviceCode) data.serviceCode = f.serviceCode;
    if (f.citizenKey) data.citizenKey = f.citizenKey;
    if (f.paidOnline !== null) data.paidOnline = f.paidOnline;
    if (f.failReason) data.failReason = f.failReason as LogRecord['failReason'];
    return {
      id,
      communeCode: commune,
      teamId: v.team,
      volunteerId: v.id,
      version,
      deleted,
      data,
      fieldMeta: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
  }

  async function apply(commune: string, model: Map<string, ModelRecord>, o: Op): Promise<void> {
    const ids = [...model.keys()];
    const picked = ids.length ? ids[('pick' in o ? o.pick : 0) % ids.length]! : null;
    switch (o.op) {
      case 'put': {
        const id = nextId();
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, id, o.fields, false, await tx.nextVersion())),
        );
        model.set(id, { ...o.fields, deleted: false, reviewState: null });
        return;
      }
      case 'bulk': {
        const made = o.rows.map((r) => ({ ...r, id: nextId() }));
        await store.transaction(async (tx) => {
          const last = await tx.reserveVersions(made.length);
          await tx.insertRecords(
            made.map((m, i) => ({
              ...row(commune, m.id, m.fields, m.deleted, last - made.length + 1 + i),
              reviewState: m.review,
            })),
          );
        });
        for (const m of made) model.set(m.id, { ...m.fields, deleted: m.deleted, reviewState: m.review });
        return;
      }
      case 'edit': {
        if (!picked) return;
        const before = model.get(picked)!;
        if (before.deleted) return;
        const after = { ...before, ...o.fields };
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, picked, after, false, await tx.nextVersion())),
        );
        model.set(picked, after);
        return;
      }
      case 'review': {
        if (!picked || model.get(picked)!.deleted) return;
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
        model.get(picked)!.reviewState = o.state;
        return;
      }
      case 'delete': {
        if (!picked) return;
        const m = model.get(picked)!;
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, picked, m, true, await tx.nextVersion())),
        );
        m.deleted = true;
        return;
      }
      case 'tombstone': {
        const id = nextId();
        const f: Fields = {
          occurredOn: DAYS[0]!,
          hamletId: HAMLETS[0]!,
          category: CATEGORIES[0],
          outcome: OUTCOMES[0],
          serviceCode: null,
          citizenKey: null,
          volunteer: 0,
          paidOnline: null,
          failReason: null,
        };
        await store.transaction(async (tx) =>
          tx.putRecord(row(commune, id, f, true, await tx.nextVersion())),
        );
        model.set(id, { ...f, deleted: true, reviewState: null });
        return;
      }
      case 'hardDelete': {
        // Not a path the app takes for live records, but the aggregates must follow any DELETE.
        if (!picked) return;
        await db.exec(
          kind === 'sqlite' ? 'DELETE FROM records WHERE id = ?' : 'DELETE FROM records WHERE id = $1',
          [picked],
        );
        model.delete(picked);
        return;
      }
      case 'prune': {
        await store.prune('2999-01-01T00:00:00.000Z');
        for (const [id, m] of model) if (m.deleted) model.delete(id);
        return;
      }
    }
  }

  it('equals the hand-counted model and the full scan after any random writes, edits and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        fc.array(queryArb, { minLength: 1, maxLength: 4 }),
        async (ops, queries) => {
          const commune = `p${++communeNo}`;
          const model = new Map<string, ModelRecord>();
          for (const o of ops) await apply(commune, model, o);
          for (const q of queries) {
            const input: TallyInput = {
              scope:
                q.scope.kind === 'commune'
                  ? { kind: 'commune', communeCode: commune }
                  : q.scope.kind === 'team'
                    ? { kind: 'team', teamId: q.scope.team }
                    : { kind: 'volunteer', userId: q.scope.volunteer, teamId: null },
              communeCode: commune,
              from: q.from,
              to: q.to,
              groupBy: q.groupBy,
              category: q.category,
              hamlet: q.hamlet,
              service: q.service,
              reviewState: q.reviewState,
              view: q.view,
              paidOnline: q.paidOnline,
              failReason: q.failReason,
              countsOnly: q.countsOnly,
            };
            const got = await store.tally(input);
            expect(got).toEqual(modelTally(model, q));
            const exact = !q.countsOnly;
            const groups = q.groupBy.length ? tallyGroupsSql(input, q.groupBy, kind, exact) : null;
            const total = tallyGroupsSql(input, [], kind, exact);
            const refused = q.reviewState
              ? null
              : tallyGroupsSql({ ...input, reviewState: 'rejected' }, [], kind);
            const scan = toTallyResponse(
              q.groupBy,
              groups ? await raw.all(groups.sql, groups.params) : [],
              (await raw.all(total.sql, total.params))[0],
              { rejected: refused ? (await raw.all(refused.sql, refused.params))[0]!.count : 0 },
            );
            expect(got).toEqual(scan);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps no counter for a key whose records all left it', async () => {
    const commune = `p${++communeNo}`;
    const model = new Map<string, ModelRecord>();
    const f: Fields = {
      occurredOn: '2026-05-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
      serviceCode: null,
      citizenKey: null,
      volunteer: 0,
      paidOnline: null,
      failReason: null,
    };
    await apply(commune, model, { op: 'put', fields: f });
    await apply(commune, model, { op: 'edit', pick: 0, fields: { hamletId: 'thon-tay' } });
    const rows = await raw.all(
      kind === 'sqlite'
        ? 'SELECT hamlet_id AS k0, n AS count, 0 AS citizens FROM daily_aggregates WHERE commune_code = ?'
        : 'SELECT hamlet_id AS k0, n AS count, 0 AS citizens FROM daily_aggregates WHERE commune_code = $1',
      [commune],
    );
    expect(rows.map((r) => [r.k0, Number(r.count)])).toEqual([['thon-tay', 1]]);
  });
});

describe.each(STORE_KINDS)('data migration 20261128-04-daily-aggregates on %s', (kind) => {
  let migrations: PartialMigrations | null = null;
  let db: TestDatabase | null = null;
  afterAll(async () => {
    await db?.drop();
    migrations?.remove();
  });

  it('counts the records already stored: live ones by every key, tombstones never', async () => {
    migrations = migrationsUpTo(kind, '20261128-04-');
    db = await testDatabase(kind);
    const before = db.open({ migrationsDir: migrations.dir });
    await before.migrate();
    await before.close();
    const rows: [string, string, string, boolean, string | null, string][] = [
      // id, hamlet, category, deleted, review state, day
      ['b1', 'thon-dong', 'can_cuoc', false, null, '2026-02-01'],
      ['b2', 'thon-dong', 'can_cuoc', false, 'approved', '2026-02-01'],
      ['b3', 'thon-tay', 'vneid_l2', false, null, '2026-05-02'],
      ['b4', 'thon-tay', 'vneid_l2', true, null, '2026-05-02'],
    ];
    for (const [id, hamlet, category, deleted, review, day] of rows) {
      const data = JSON.stringify({ occurredOn: day, hamletId: hamlet, category, outcome: 'done' });
      const live = kind === 'sqlite' ? (deleted ? 1 : 0) : deleted;
      // SQLite's tally columns are set by the writer (the backfill of 03 ran on an empty table).
      if (kind === 'sqlite')
        await db.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at, occurred_on, hamlet_id, category, outcome, review_state)
           VALUES (?, '99009', 't1', 'u1', 1, ?, ?, '{}', 'a', 'a', ?, ?, ?, 'done', ?)`,
          [id, live, data, day, hamlet, category, review],
        );
      else
        await db.exec(
          `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
             created_at, updated_at, review_state)
           VALUES ($1, '99009', 't1', 'u1', 1, $2, $3, '{}', now(), now(), $4)`,
          [id, live, data, review],
        );
    }
    // With the migrations after it too: a store always runs with all of its own (the tallies read
    // the citizen cells of 20261128-10).
    migrations.addRest();
    const store = db.open({ migrationsDir: migrations.dir });
    try {
      expect((await store.migrate()).applied[0]).toBe('20261128-04-daily-aggregates.sql');
      const scope = { kind: 'commune' as const, communeCode: '99009' };
      const year = { scope, from: '2026-01-01', to: '2026-12-31' };
      const byHamlet = await store.tally({ ...year, groupBy: ['hamlet', 'quarter'] });
      expect(byHamlet.rows.map((r) => [r.key.hamlet, r.key.quarter, r.count])).toEqual([
        ['thon-dong', '2026-Q1', 2],
        ['thon-tay', '2026-Q2', 1],
      ]);
      const approved = await store.tally({ ...year, groupBy: [], reviewState: 'approved' });
      expect(approved.total.count).toBe(1);
      const byTeam = await store.tally({ ...year, groupBy: ['team'] });
      expect(byTeam.rows).toEqual([{ key: { team: 't1' }, count: 3, citizens: 0 }]);
    } finally {
      await store.close();
    }
  });
});
