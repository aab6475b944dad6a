// Reads of many records inside a write transaction go by key range (db/counters.ts readMany) and
// the push answer finds its outbox rows from one index read (engine.ts outboxRowsOf): both must
// answer exactly what key-by-key reads answer, whatever lies between the keys, and the counters
// kept on those writes must stay exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalRecord, OutboxRow } from '../../src/app/db/database.ts';
import { outboxRowsOf } from '../../src/app/sync/engine.ts';
import { newId } from '../../src/shared/index.ts';
import { localRecord, loggedInDb } from './support/db.ts';

/** `n` records with time-ordered ids, as one phone makes them. */
function records(n: number, over: Partial<LocalRecord> = {}): LocalRecord[] {
  return Array.from({ length: n }, () => localRecord({ id: newId(), ...over }));
}

describe('bulk reads inside write transactions', () => {
  it('answer as key-by-key reads do, for dense, spread, missing and repeated keys', async () => {
    const db = await loggedInDb();
    const all = records(1200);
    await db.records.bulkPut(all);
    const ids = all.map((r) => r.id);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...ids), fc.uuid()), { minLength: 0, maxLength: 400 }),
        async (keys) => {
          // A read-only transaction reads key by key (the unchanged path): the reference.
          const expected = await db.transaction('r', db.records, () => db.records.bulkGet(keys));
          const got = await db.transaction('rw', db.records, () => db.records.bulkGet(keys));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads keys a bounded range read did not reach one by one', async () => {
    const db = await loggedInDb();
    const all = records(2000);
    await db.records.bulkPut(all);
    // Every 20th record: each run of 100 keys spans 2,000 rows, past its read's bound of 400.
    const keys = all.filter((_r, i) => i % 20 === 0).map((r) => r.id);
    const got = await db.transaction('rw', db.records, () => db.records.bulkGet(keys));
    expect(got.map((r) => r?.id)).toEqual(keys);
  });

  it('keep the counters exact when many records change category in one bulk update', async () => {
    const db = await loggedInDb();
    const all = records(300, { category: 'vneid_l2', outcome: 'done', occurredOn: '2025-10-15' });
    await db.records.bulkPut(all);
    // bulkUpdate reads the rows, changes what it read, then writes: the counters must count the
    // rows as they were stored, not the changed copies.
    await db.records.bulkUpdate(
      all.filter((_r, i) => i % 2 === 0).map((r) => ({ key: r.id, changes: { category: 'online_filing' } })),
    );
    const counters = await db.counters.toArray();
    expect(counters.map((c) => [c.category, c.n]).sort()).toEqual([
      ['online_filing', 150],
      ['vneid_l2', 150],
    ]);
  });
});

describe('outboxRowsOf', () => {
  it('finds every outbox row of the given records, as anyOf does', async () => {
    const db = await loggedInDb();
    const all = records(300);
    await db.records.bulkPut(all);
    const rows: OutboxRow[] = [];
    let seq = 1;
    // Creates for all, then later edits of every seventh: rows of one record on both sides of a chunk.
    for (const r of all) rows.push(outboxRow(seq++, r.id));
    for (const r of all.filter((_r, i) => i % 7 === 0)) rows.push(outboxRow(seq++, r.id));
    await db.outbox.bulkAdd(rows);
    const chunk = rows.slice(100, 200);
    const ids = [...new Set(chunk.map((r) => r.recordId))];
    const expected = await db.outbox.where('recordId').anyOf(ids).sortBy('seq');
    expect(await db.transaction('r', db.outbox, () => outboxRowsOf(db, ids, chunk))).toEqual(expected);
    expect(await outboxRowsOf(db, [], chunk)).toEqual([]);
  });
});

function outboxRow(seq: number, recordId: string): OutboxRow {
  return {
    seq,
    mutationId: newId(),
    recordId,
    op: 'upsert',
    baseVersion: 0,
    patch: { id: recordId },
    createdAt: '2025-10-15T08:00:00Z',
  };
}
