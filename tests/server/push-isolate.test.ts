// PushBatch.isolate on both stores (src/server/sync/batch.ts): an unexpected exception while one
// mutation is applied rejects that mutation alone and takes back what it kept in the batch, so the
// rest of the push commits as if it had never run; a failure of the database itself is not
// swallowed: the transaction rolls back whole and nothing of the push is stored.
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/index.ts';
import { PushBatch } from '../../src/server/sync/batch.ts';
import { TemporaryStoreError, type RecordRow, type Store, type Tx } from '../../src/server/store/store.ts';
import { STORE_KINDS, setupAll, testDatabase, type TestDatabase } from './harness.ts';

function row(version: number, note: string): RecordRow {
  const at = '2026-12-07T00:00:00.000Z';
  return {
    id: newId(),
    communeCode: '99001',
    teamId: 'team-1',
    volunteerId: 'u-test',
    version,
    deleted: false,
    data: { note },
    fieldMeta: {},
    createdAt: at,
    updatedAt: at,
  };
}

describe.each(STORE_KINDS)('one mutation isolated inside a push on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;

  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('takes back what a mutation that threw kept, answers for it, and commits the others', async () => {
    const before = await db.version();
    const kept = { a: '', b: '', c: '' };
    const answers = await store.transaction(async (tx) => {
      const batch = await PushBatch.open(tx, 'client-isolate', [], 0);
      const out: string[] = [];
      out.push(
        await batch.isolate(
          async () => {
            const r = row(await batch.nextVersion(), 'trước');
            kept.a = r.id;
            await batch.putRecord(r);
            return 'applied';
          },
          () => 'rejected',
        ),
      );
      out.push(
        await batch.isolate(
          async () => {
            const r = row(await batch.nextVersion(), 'hỏng giữa chừng');
            kept.b = r.id;
            await batch.putRecord(r);
            // The same record the first mutation wrote, changed before the fault: it must come back.
            await batch.putRecord({ ...(await batch.getRecord(kept.a))!, data: { note: 'bị ghi đè' } });
            throw new Error('an unforeseen bug');
          },
          (err) => `rejected: ${(err as Error).message}`,
        ),
      );
      out.push(
        await batch.isolate(
          async () => {
            const r = row(await batch.nextVersion(), 'sau');
            kept.c = r.id;
            await batch.putRecord(r);
            return 'applied';
          },
          () => 'rejected',
        ),
      );
      await batch.flush('2026-12-07T00:00:00.000Z');
      return out;
    });
    expect(answers).toEqual(['applied', 'rejected: an unforeseen bug', 'applied']);
    // The version the failed mutation took is handed out again: no hole, no stray row.
    expect(await db.version()).toBe(before + 2);
    expect(await store.getRecord(kept.a)).toMatchObject({ version: before + 1, data: { note: 'trước' } });
    expect(await store.getRecord(kept.b)).toBeNull();
    expect(await store.getRecord(kept.c)).toMatchObject({ version: before + 2, data: { note: 'sau' } });
  });

  it('lets a failure of the database through, so the whole push rolls back', async () => {
    const before = await db.version();
    const records = await db.count('records');
    const written = row(0, 'không được lưu');
    const failing = (tx: Tx): Tx =>
      new Proxy(tx, {
        get(target, key, receiver) {
          if (key === 'getRecord')
            return () => Promise.reject(new TemporaryStoreError('the store went away mid-push'));
          const v: unknown = Reflect.get(target, key, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    await expect(
      store.transaction(async (tx) => {
        const batch = await PushBatch.open(failing(tx), 'client-isolate', [], 0);
        await batch.isolate(
          async () => {
            await batch.putRecord({ ...written, version: await batch.nextVersion() });
            return 'applied';
          },
          () => 'rejected',
        );
        await batch.isolate(
          async () => {
            await batch.getRecord(newId());
            return 'applied';
          },
          () => 'rejected',
        );
        await batch.flush('2026-12-07T00:00:00.000Z');
      }),
    ).rejects.toBeInstanceOf(TemporaryStoreError);
    expect(await db.version()).toBe(before);
    expect(await db.count('records')).toBe(records);
    expect(await store.getRecord(written.id)).toBeNull();
  });
});
