// gzip request bodies: push and pull go compressed with Content-Encoding: gzip; a server that
// refuses them (400/415) gets plain JSON, and the device remembers that for a day.
import { describe, expect, it } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { getSyncMeta } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { PushRequest } from '../../src/shared/index.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, json, readBody } from './support/fake-server.ts';

function engineFor(db: SotayDB, fetchImpl: typeof fetch, now?: () => Date): SyncEngine {
  return new SyncEngine({ db, fetch: fetchImpl, runLocked: null, ...(now ? { now } : {}) });
}

const syncCalls = (server: FakeServer) => server.log.filter((l) => l.path.includes('/sync/'));

describe('gzip request bodies', () => {
  it('sends push and pull bodies gzipped, with Content-Encoding: gzip, that inflate to the protocol message', async () => {
    const db = await loggedInDb();
    const r = wireRecord();
    await saveNewRecord(db, r);
    const seen: { path: string; encoding: string | null; type: string | null; body: unknown }[] = [];
    const server = new FakeServer();
    const spy: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      const encoding = headers.get('content-encoding');
      seen.push({
        path: String(input),
        encoding,
        type: headers.get('content-type'),
        body: await readBody(init?.body, encoding),
      });
      return server.fetch(input, init);
    };

    expect(await engineFor(db, spy).syncNow()).toBe('ok');

    const sync = seen.filter((s) => s.path.includes('/api/v1/sync/'));
    expect(sync.map((s) => [s.path, s.encoding, s.type])).toEqual([
      ['/api/v1/sync/push', 'gzip', 'application/json'],
      ['/api/v1/sync/pull', 'gzip', 'application/json'],
    ]);
    const push = PushRequest.parse(seen[0]!.body);
    expect(push.mutations[0]).toMatchObject({ seq: 1, recordId: r.id, patch: r });
    expect((await db.records.get(r.id))!.syncState).toBe('synced');
  });

  it.each([400, 415] as const)(
    'falls back to plain JSON when the server answers %i to a gzip body, and remembers it in meta',
    async (status) => {
      const db = await loggedInDb();
      await saveNewRecord(db, wireRecord());
      const server = new FakeServer();
      server.refuseGzip = status;
      const engine = engineFor(db, server.fetch);

      expect(await engine.syncNow()).toBe('ok');

      expect(syncCalls(server).map((l) => [l.path, l.encoding])).toEqual([
        ['/api/v1/sync/push', 'gzip'],
        ['/api/v1/sync/push', null],
        ['/api/v1/sync/pull', null],
      ]);
      expect(await db.outbox.count()).toBe(0);
      expect((await getSyncMeta(db))!.plainBodiesSince).toEqual(expect.any(String));

      await saveNewRecord(db, wireRecord());
      server.log.length = 0;
      expect(await engine.syncNow()).toBe('ok');
      expect(syncCalls(server).every((l) => l.encoding === null)).toBe(true);
    },
  );

  it('tries gzip again a day after the server refused it, and forgets the refusal once it works', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    server.refuseGzip = 400;
    let now = new Date('2025-10-15T08:00:00Z');
    const engine = engineFor(db, server.fetch, () => now);
    await saveNewRecord(db, wireRecord());
    expect(await engine.syncNow()).toBe('ok');

    server.refuseGzip = null; // the server was upgraded
    now = new Date('2025-10-16T09:00:00Z');
    await saveNewRecord(db, wireRecord());
    server.log.length = 0;
    expect(await engine.syncNow()).toBe('ok');

    expect(syncCalls(server).map((l) => l.encoding)).toEqual(['gzip', 'gzip']);
    expect((await getSyncMeta(db))!.plainBodiesSince).toBeUndefined();
  });

  it('does not take a 400 as a gzip refusal when the plain body gets the same 400', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const encodings: (string | null)[] = [];
    const alwaysBad: typeof fetch = async (_input, init) => {
      encodings.push(new Headers(init?.headers).get('content-encoding'));
      return json(400, { error: { code: 'invalid_request', message: 'Yêu cầu không hợp lệ.' } });
    };

    expect(await engineFor(db, alwaysBad).syncNow()).toBe('failed');

    expect(encodings).toEqual(['gzip', null]);
    expect((await getSyncMeta(db))!.plainBodiesSince).toBeUndefined();
    expect(await db.outbox.count()).toBe(1);
  });

  it('sends plain JSON when told not to gzip (a client option for servers and scripts without it)', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const server = new FakeServer();
    const engine = new SyncEngine({
      db,
      api: new ApiClient({ fetch: server.fetch, gzip: false }),
      runLocked: null,
    });

    expect(await engine.syncNow()).toBe('ok');

    expect(syncCalls(server).map((l) => l.encoding)).toEqual([null, null]);
  });

  it('keeps a push of 100 records under 100 bytes per record on the wire', async () => {
    const db = await loggedInDb();
    await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      for (let i = 0; i < 100; i++) await saveNewRecord(db, wireRecord({ hamletId: `h${(i % 3) + 1}` }));
    });
    const server = new FakeServer();

    expect(await engineFor(db, server.fetch).syncNow()).toBe('ok');

    const [push] = syncCalls(server);
    expect(push!.encoding).toBe('gzip');
    expect(push!.bytes / 100).toBeLessThan(100);
  });
});
