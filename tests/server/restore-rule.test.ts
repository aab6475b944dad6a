// The protocol's restore rule on both stores (sync-protocol.md, "Restored from a backup"): after the
// restore command's gap, cursors from before it reset with `restored`, base versions in it merge on
// the backup's state, and numbers the server never issued in any history are still refused.
import { afterAll, describe, expect, it } from 'vitest';
import { RESTORE_GAP } from '../../src/server/backup.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type TestServer,
} from './harness.ts';

describe.each(STORE_KINDS)('after a restore on %s', (kind) => {
  let server: TestServer;
  let token = '';
  let from = 0;
  const kept = fakeRecord({ note: 'Trước khi sao lưu' });
  let oldCursor = '';

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    token = (await server.login('demo-tnv')).token;
    const pushed = await server.push(token, clientId(), [createOf(kept, 1)]);
    expect(pushed.body.results[0]?.status).toBe('applied');
    oldCursor = (await server.pull(token, clientId(), null)).body.cursor;
    // What the restore command does to the copy it puts back (backup.ts, markRestored).
    from = await server.db.version();
    await server.db.exec(
      'UPDATE sync_state SET restored_from = version, restored_below = version + $1, version = version + $2 WHERE id = 1',
      [RESTORE_GAP, RESTORE_GAP],
    );
  });
  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('resets a cursor made before the restore with restored, and not the cursors it hands out', async () => {
    const c = clientId();
    const first = await server.pull(token, c, oldCursor);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ reset: true, restored: true });
    expect(first.body.changes.map((ch) => ch.id)).toContain(kept.id);
    const again = await server.pull(token, c, first.body.cursor);
    expect(again.body.reset).toBeUndefined();
    expect(again.body.restored).toBeUndefined();
  });

  it('puts an edit based on a version of the lost history on top of the backup’s state', async () => {
    const lost = from + 7; // a version the history after the backup gave this phone
    const res = await server.push(token, clientId(), [
      updateOf(kept.id, 1, lost, { note: 'Sửa sau sao lưu' }),
    ]);
    expect(res.body.results[0]?.status).toBe('applied');
    expect((await server.store.getRecord(kept.id))?.data.note).toBe('Sửa sau sao lưu');
  });

  it('still refuses an edit of a record the backup lacks, and a version above the counter', async () => {
    const missing = fakeRecord();
    const ahead = (await server.db.version()) + 5;
    const res = await server.push(token, clientId(), [
      updateOf(missing.id, 1, from + 3, { note: 'Không có trên máy chủ' }),
      updateOf(kept.id, 2, ahead, { note: 'Số bịa' }),
    ]);
    expect(res.body.results.map((r) => (r.status === 'rejected' ? r.error?.code : r.status))).toEqual([
      'base_version_ahead',
      'base_version_ahead',
    ]);
    expect((await server.store.getRecord(kept.id))?.data.note).toBe('Sửa sau sao lưu');
  });
});
