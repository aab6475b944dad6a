// The maintained per-day counters behind the own tallies (Dexie v3 `counters`): after every kind
// of write to `records` they equal a recount from the records themselves — save, edit, delete,
// undo, pulls of own and teammates' records, tombstones, wipes — including random sequences
// (fast-check); a write that aborts leaves them untouched; the self-check repairs drift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCounters } from '../../src/app/db/counters-check.ts';
import type { CounterRow } from '../../src/app/db/counters.ts';
import type { LocalRecord, SotayDB } from '../../src/app/db/database.ts';
import { clearAccount, storeLogin } from '../../src/app/db/meta-repo.ts';
import {
  deleteRecord,
  ownCitizensPeriods,
  saveNewRecord,
  saveRecordEdit,
  tallyOwn,
  tallyPeriods,
} from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { CATEGORY_CODES, OUTCOME_CODES } from '../../src/shared/index.ts';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, USER, loginResponse } from './support/fake-server.ts';

const key = (r: { day: string; category: string; outcome: string }) => `${r.day}|${r.category}|${r.outcome}`;

/** Counters as a plain map, zero rows never stored. */
async function stored(db: SotayDB): Promise<Record<string, number>> {
  const rows: CounterRow[] = await db.counters.toArray();
  for (const r of rows) expect(r.n).toBeGreaterThan(0);
  return Object.fromEntries(rows.map((r) => [key(r), r.n]));
}

/** The same counts, by reading every record (what the counters exist to avoid). */
async function recount(db: SotayDB): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await db.records.toArray()) {
    if (r.own !== 1 || r.deleted) continue;
    const k = key({ day: r.occurredOn, category: r.category, outcome: r.outcome });
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

async function expectConsistent(db: SotayDB): Promise<void> {
  expect(await stored(db)).toEqual(await recount(db));
}

describe('own tally counters', () => {
  it('follow saves, edits of category, outcome and day, deletes and undo', async () => {
    const db = await loggedInDb();
    const a = wireRecord({ occurredOn: '2025-10-15', category: 'vneid_l2', outcome: 'done' });
    const b = wireRecord({ occurredOn: '2025-10-15', category: 'vneid_l2', outcome: 'done' });
    await saveNewRecord(db, a);
    await saveNewRecord(db, b);
    expect(await stored(db)).toEqual({ '2025-10-15|vneid_l2|done': 2 });

    await saveRecordEdit(db, a.id, { category: 'online_filing' });
    expect(await stored(db)).toEqual({ '2025-10-15|vneid_l2|done': 1, '2025-10-15|online_filing|done': 1 });
    await saveRecordEdit(db, a.id, { outcome: 'referred' });
    await saveRecordEdit(db, b.id, { occurredOn: '2025-10-14' });
    expect(await stored(db)).toEqual({
      '2025-10-15|online_filing|referred': 1,
      '2025-10-14|vneid_l2|done': 1,
    });
    // A note changes nothing counted.
    await saveRecordEdit(db, b.id, { note: 'gọi lại' });
    expect(await stored(db)).toEqual({
      '2025-10-15|online_filing|referred': 1,
      '2025-10-14|vneid_l2|done': 1,
    });

    await deleteRecord(db, a.id);
    await deleteRecord(db, a.id); // twice: nothing more
    expect(await stored(db)).toEqual({ '2025-10-14|vneid_l2|done': 1 });
    // Undo of a save is a delete of the record just saved.
    const c = wireRecord({ occurredOn: '2025-10-14', category: 'vneid_l2', outcome: 'done' });
    await saveNewRecord(db, c);
    expect(await stored(db)).toEqual({ '2025-10-14|vneid_l2|done': 2 });
    await deleteRecord(db, c.id);
    expect(await stored(db)).toEqual({ '2025-10-14|vneid_l2|done': 1 });
    await expectConsistent(db);
  });

  it('count pulled own records, not teammates’, and follow pulled tombstones and acknowledged deletes', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });
    const pulled = (volunteerId: string, over: Record<string, unknown> = {}) => {
      const r = wireRecord({ occurredOn: '2025-10-10', category: 'can_cuoc', outcome: 'done', ...over });
      server.writeElsewhere(r.id, { ...r, volunteerId, teamId: 't1', communeCode: '00001' });
      return r;
    };
    const mine = [
      pulled(USER.id),
      pulled(USER.id),
      pulled(USER.id, { outcome: 'failed', failReason: 'other' }),
    ];
    pulled('someone-else');
    pulled('someone-else');
    const local = wireRecord({ occurredOn: '2025-10-11' });
    await saveNewRecord(db, local);
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.records.count()).toBe(6);
    expect(await stored(db)).toEqual({
      '2025-10-10|can_cuoc|done': 2,
      '2025-10-10|can_cuoc|failed': 1,
      '2025-10-11|vneid_l1|done': 1,
    });

    // Deleted elsewhere: the pulled tombstone removes it; a local delete goes once acknowledged.
    server.deleteElsewhere(mine[0]!.id);
    await deleteRecord(db, local.id);
    expect(await engine.syncNow()).toBe('ok');
    expect(await stored(db)).toEqual({ '2025-10-10|can_cuoc|done': 1, '2025-10-10|can_cuoc|failed': 1 });
    // Reassigned to a teammate on the server: no longer own.
    server.writeElsewhere(mine[1]!.id, {
      ...mine[1]!,
      volunteerId: 'someone-else',
      teamId: 't1',
      communeCode: '00001',
    });
    expect(await engine.syncNow()).toBe('ok');
    expect(await stored(db)).toEqual({ '2025-10-10|can_cuoc|failed': 1 });
    await expectConsistent(db);
  });

  it('are emptied with the records when another user logs in or the account is cleared', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd([
      localRecord({ syncState: 'synced', serverVersion: 1 }),
      localRecord({ syncState: 'synced', serverVersion: 1 }),
    ]);
    expect(Object.values(await stored(db))).toEqual([2]);
    await storeLogin(db, { ...loginResponse(), user: { ...USER, id: 'another-user' } });
    expect(await db.counters.count()).toBe(0);
    await db.records.add(localRecord());
    expect(await db.counters.count()).toBe(1);
    await clearAccount(db);
    expect(await db.counters.count()).toBe(0);
  });

  it('roll back with a write that aborts (same transaction), and skip rows a bulk add refused', async () => {
    const db = await loggedInDb();
    const r = wireRecord({ occurredOn: '2025-10-15' });
    await saveNewRecord(db, r);
    await expect(
      db.transaction('rw', db.records, async () => {
        await db.records.add(localRecord({ occurredOn: '2025-10-16' }));
        await db.records.update(r.id, { category: 'can_cuoc' });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await stored(db)).toEqual({ '2025-10-15|vneid_l1|done': 1 });

    const dup = await db.records.get(r.id);
    await db.records.bulkAdd([localRecord({ occurredOn: '2025-10-17' }), dup!]).catch(() => undefined);
    expect(await stored(db)).toEqual({ '2025-10-15|vneid_l1|done': 1, '2025-10-17|vneid_l1|done': 1 });
    await expectConsistent(db);
  });

  it('follow collection writes: modify, a key-range delete and an index delete', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd(
      Array.from({ length: 30 }, (_, i) =>
        localRecord({ occurredOn: `2025-10-${String((i % 5) + 10)}`, outcome: i % 2 ? 'done' : 'referred' }),
      ),
    );
    await db.records
      .where('occurredOn')
      .equals('2025-10-10')
      .modify((x: LocalRecord) => {
        x.category = 'can_cuoc';
      });
    await expectConsistent(db);
    const ids = (await db.records.orderBy('id').primaryKeys()).slice(0, 7);
    await db.records.where('id').belowOrEqual(ids[6]!).delete();
    await expectConsistent(db);
    await db.records.where('occurredOn').equals('2025-10-12').delete();
    await expectConsistent(db);
    expect(await db.records.count()).toBeGreaterThan(0);
  });

  it('equal a recount after any random sequence of writes (property)', async () => {
    const db = await loggedInDb();
    const day = fc.constantFrom('2025-10-01', '2025-10-02', '2025-10-03');
    const fields = fc.record({
      occurredOn: day,
      category: fc.constantFrom(...CATEGORY_CODES.slice(0, 3)),
      outcome: fc.constantFrom(...OUTCOME_CODES.filter((o) => o !== 'failed').slice(0, 3)),
    });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('save' as const), f: fields }),
      fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), f: fields }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('purge' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('pull' as const),
        pick: fc.nat(),
        f: fields,
        volunteerId: fc.constantFrom(USER.id, 'someone-else'),
        fresh: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        await db.records.clear();
        expect(await db.counters.count()).toBe(0);
        for (const o of ops) {
          const ids = await db.records.toCollection().primaryKeys();
          const target = 'pick' in o && ids.length > 0 ? ids[o.pick % ids.length]! : undefined;
          switch (o.kind) {
            case 'save':
              await saveNewRecord(db, wireRecord(o.f));
              break;
            case 'edit':
              if (target) await saveRecordEdit(db, target, o.f).catch(() => undefined); // deleted: gone
              break;
            case 'delete':
              if (target) await deleteRecord(db, target);
              break;
            case 'purge': // the server acknowledged the tombstone
              if (target) await db.records.delete(target);
              break;
            case 'pull': {
              const id = o.fresh || !target ? wireRecord().id : target;
              await db.transaction('rw', db.records, () =>
                db.records.bulkPut([
                  {
                    ...localRecord({ id, ...o.f }),
                    volunteerId: o.volunteerId,
                    syncState: 'synced',
                    serverVersion: 1,
                  },
                ]),
              );
              break;
            }
            case 'clear':
              await db.records.clear();
              break;
          }
        }
        expect(await stored(db)).toEqual(await recount(db));
      }),
      { numRuns: 40 },
    );
  });

  it('self-check: finds drifted counters and rebuilds them from the records', async () => {
    const db = await loggedInDb();
    for (let i = 0; i < 5; i++)
      await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15', outcome: i % 2 ? 'done' : 'referred' }));
    expect(await checkCounters(db)).toBe(true);
    const before = await stored(db);
    await db.counters.put({ day: '2025-10-15', category: 'vneid_l1', outcome: 'done', n: 40 });
    expect(await checkCounters(db)).toBe(false);
    expect(await stored(db)).toEqual(before);
    await db.counters.clear();
    expect(await checkCounters(db)).toBe(false);
    expect(await stored(db)).toEqual(before);
    expect(await checkCounters(db)).toBe(true);
    expect((await tallyOwn(db, '2025-10-15', '2025-10-15')).total).toBe(5);
  });

  it('are read in one key-range read for all periods, with no request to the records table', async () => {
    const db = await loggedInDb();
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      localRecord({ occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}` }),
    );
    await db.records.bulkAdd(rows);
    const within = (from: string, to: string) =>
      rows.filter((r) => r.occurredOn >= from && r.occurredOn <= to).length;
    db.close();
    const calls: string[] = [];
    db.use({
      stack: 'dbcore',
      name: 'spy',
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          const spy =
            <A extends unknown[], R>(op: string, f: (...a: A) => R) =>
            (...a: A): R => {
              calls.push(`${name}.${op}`);
              return f(...a);
            };
          return {
            ...t,
            get: spy('get', t.get),
            getMany: spy('getMany', t.getMany),
            query: spy('query', t.query),
            openCursor: spy('openCursor', t.openCursor),
            count: spy('count', t.count),
          };
        },
      }),
    });
    await db.open();
    const spans = [
      { from: '2025-10-15', to: '2025-10-15' },
      { from: '2025-10-13', to: '2025-10-19' },
      { from: '2025-10-01', to: '2025-10-31' },
    ];
    const tallies = await tallyPeriods(db, spans);
    expect(tallies.map((t) => t.total)).toEqual(spans.map((p) => within(p.from, p.to)));
    expect(tallies[2]!.byCategory.vneid_l1).toBe(2_000);
    expect(calls.filter((c) => c.startsWith('records.'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('counters.'))).toEqual(['counters.query']);
  });

  it('count distinct citizens from one key cursor over an index, reading no record', async () => {
    const db = await loggedInDb();
    const key = (n: number) => n.toString(16).padStart(64, '0');
    // 2,000 own records over October, a third with one of 50 citizens' device keys; teammates'
    // and deleted records carry keys too (as a local row could) and must not count.
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      localRecord({
        occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}`,
        ...(i % 3 === 0 ? { deviceCitizenKey: key(i % 50) } : {}),
      }),
    );
    await db.records.bulkAdd([
      ...rows,
      localRecord({ occurredOn: '2025-10-15', deviceCitizenKey: key(900), volunteerId: 'someone-else' }),
      localRecord({ occurredOn: '2025-10-15', deviceCitizenKey: key(901), deleted: true }),
    ]);
    const distinct = (from: string, to: string) =>
      new Set(
        rows
          .filter((r) => r.deviceCitizenKey && r.occurredOn >= from && r.occurredOn <= to)
          .map((r) => r.deviceCitizenKey),
      ).size;
    db.close();
    const reads: string[] = [];
    db.use({
      stack: 'dbcore',
      name: 'spy',
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          return {
            ...t,
            get: (req) => (reads.push(`${name}.get`), t.get(req)),
            getMany: (req) => (reads.push(`${name}.getMany`), t.getMany(req)),
            query: (req) => (
              reads.push(`${name}.query ${req.query.index.name} values=${String(req.values)}`),
              t.query(req)
            ),
            openCursor: (req) => (
              reads.push(`${name}.openCursor ${req.query.index.name} values=${String(req.values)}`),
              t.openCursor(req)
            ),
          };
        },
      }),
    });
    await db.open();
    const spans = [
      { from: '2025-10-15', to: '2025-10-15' },
      { from: '2025-10-13', to: '2025-10-19' },
      { from: '2025-10-01', to: '2025-10-31' },
    ];
    const counts = await ownCitizensPeriods(db, spans);
    expect(counts).toEqual(spans.map((p) => distinct(p.from, p.to)));
    expect(counts[2]).toBe(50);
    // A key cursor: IndexedDB's getAllKeys would answer primary keys, not the index's own keys.
    expect(reads).toEqual(['records.openCursor [own+occurredOn+deviceCitizenKey] values=false']);
  });
});
