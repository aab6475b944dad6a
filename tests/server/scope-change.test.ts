// A user moved to another team on both stores: the next pull with an old cursor answers reset and a
// full snapshot of the new scope, in pages, so the device drops the rows that left its scope.
import { afterAll, describe, expect, it } from 'vitest';
import type { Change } from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  const own = fakeRecord();
  const team1 = fakeRecord();
  const team2 = fakeRecord();
  const team2More = [fakeRecord(), fakeRecord()];

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead']) {
      const login = await server.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
    }
    await server.push(token['demo-tnv'] ?? '', clientId(), [createOf(own, 1)]);
    await server.push(token['demo-lead'] ?? '', clientId(), [createOf(team1, 1)]);
    await server.push(
      token['demo-tnv2'] ?? '',
      clientId(),
      [team2, ...team2More].map((r, i) => createOf(r, i + 1)),
    );
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function moveTo(username: string, teamId: string): Promise<void> {
    await server.store.transaction((tx) => tx.setUserTeam(userId[username] ?? '', teamId));
  }

  it("resets a moved volunteer's old cursor to their own records and the new team's", async () => {
    const cid = clientId();
    const first = await server.pull(token['demo-tnv'] ?? '', cid, null);
    expect(first.body.changes.map((c) => c.id).sort()).toEqual([own.id, team1.id].sort());
    await moveTo('demo-tnv', 'team-2');

    const moved = await server.pull(token['demo-tnv'] ?? '', cid, first.body.cursor);
    expect(moved.status).toBe(200);
    expect(moved.body.reset).toBe(true);
    expect(moved.body.changes.map((c) => c.id).sort()).toEqual(
      [own.id, team2.id, ...team2More.map((r) => r.id)].sort(),
    );
    expect(moved.body.changes.every((c) => !c.deleted)).toBe(true);

    const next = await server.pull(token['demo-tnv'] ?? '', cid, moved.body.cursor);
    expect(next.body).toMatchObject({ changes: [], hasMore: false });
    expect(next.body.reset).toBeUndefined();
  });

  it("sends a moved lead's snapshot in pages, only the first marked reset, holding only the new team", async () => {
    const cid = clientId();
    const { cursor } = (await server.pull(token['demo-lead'] ?? '', cid, null)).body;
    await moveTo('demo-lead', 'team-2');
    const seen: Change[] = [];
    let c: string | null = cursor;
    const resets: (boolean | undefined)[] = [];
    for (let page = 0; page < 10; page += 1) {
      const res = await server.pull(token['demo-lead'] ?? '', cid, c, 1);
      expect(res.status).toBe(200);
      resets.push(res.body.reset);
      seen.push(...res.body.changes);
      c = res.body.cursor;
      if (!res.body.hasMore) break;
    }
    expect(resets[0]).toBe(true);
    expect(resets.slice(1).every((r) => r === undefined)).toBe(true);
    expect(resets.length).toBe(3);
    // Records keep the team they were made in: the moved volunteer's own record stays with team 1.
    expect(seen.map((x) => x.id).sort()).toEqual([team2.id, ...team2More.map((r) => r.id)].sort());
  });
});
