// Invariants 1, 3 and 5 with the real engine and server: retried and duplicated pushes write once,
// outbox rows leave only on acknowledgement, a pull repeated changes nothing, a cut pull resumes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getSyncMeta, putMeta } from '../../src/app/db/meta-repo.ts';
import type { PullResponse, PushResponse } from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network } from './support/network.ts';
import { ServerTemplate, retire, snapshot, type RunningServer } from './support/server.ts';

let template: ServerTemplate;
let server: RunningServer;
const started: RunningServer[] = [];
let net: Network;
const devices: Device[] = [];

beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv', 'demo-tnv', 'demo-lead']);
});
afterAll(() => template?.dispose());
afterEach(async () => {
  for (const d of devices.splice(0)) await d.destroy();
  await retire(started);
});

async function setup(): Promise<void> {
  server = await template.start();
  started.push(server);
  net = new Network(server.url);
}

async function device(name: string, login: number, opts: { pullLimit?: number; fetch?: typeof fetch } = {}) {
  const d = await Device.open({
    name,
    login: template.logins[login]!,
    fetch: opts.fetch ?? net.fetchFor(name),
    ...(opts.pullLimit ? { pullLimit: opts.pullLimit } : {}),
  });
  devices.push(d);
  return d;
}

function records(n: number) {
  return Array.from({ length: n }, () => makeRecord({ hamletId: 'thon-dong' }));
}

describe('retried and duplicated pushes', () => {
  it('a push whose answer was lost keeps its outbox rows, and its retry writes nothing again and uses no new version', async () => {
    await setup();
    const a = await device('a', 0);
    const lead = await device('lead', 2);
    const [r1, r2, r3] = records(3);
    for (const r of [r1!, r2!]) await a.create(r);
    expect(await a.sync()).toBe('ok');
    expect(await lead.sync()).toBe('ok');
    await a.create(r3!);
    await a.edit(r1!.id, { note: 'Ghi chú của TNV' });

    net.plan('a', ['drop-response']);
    expect(await a.sync()).toBe('offline');
    // The server did the work, but without the answer nothing leaves the outbox.
    const after = snapshot(server.dataDir);
    expect(after.records).toHaveLength(3);
    expect(await a.db.outbox.count()).toBe(2);
    expect((await a.db.records.get(r3!.id))!.syncState).toBe('to_post');
    expect((await a.db.records.get(r1!.id))!.syncState).toBe('to_update');

    // Meanwhile the lead changes the same field; the retry must not write the old edit over it.
    await lead.edit(r1!.id, { note: 'Ghi chú của tổ trưởng' });
    expect(await lead.sync()).toBe('ok');
    const beforeRetry = snapshot(server.dataDir);

    expect(await a.sync()).toBe('ok');
    const again = snapshot(server.dataDir);
    expect(again.globalVersion).toBe(beforeRetry.globalVersion);
    expect(again.records).toEqual(beforeRetry.records);
    expect(again.history).toEqual(beforeRetry.history);
    // The retry was answered from the stored results: the versions the lost answer carried.
    const [, lost, retry] = net.requests('a', '/sync/push');
    expect((retry!.answer as PushResponse).results).toEqual((lost!.answer as PushResponse).results);
    expect(await a.db.outbox.count()).toBe(0);
    const local = await a.records();
    expect(local.every((r) => r.syncState === 'synced')).toBe(true);
    expect(local.find((r) => r.id === r1!.id)!.note).toBe('Ghi chú của tổ trưởng');
  });

  it('a push delivered twice by the network is applied once', async () => {
    await setup();
    const a = await device('a', 0);
    for (const r of records(2)) await a.create(r);
    net.plan('a', ['duplicate']);
    expect(await a.sync()).toBe('ok');
    const s = snapshot(server.dataDir);
    expect(s.records).toHaveLength(2);
    expect(s.history).toHaveLength(2);
    expect(s.globalVersion).toBe(2);
    expect(await a.db.outbox.count()).toBe(0);
  });

  it('a stale copy of a push arriving after newer pushes changes nothing', async () => {
    await setup();
    const a = await device('a', 0);
    const [r1, r2] = records(2);
    await a.create(r1!);
    expect(await a.sync()).toBe('ok');
    // The first edit's push also lingers in the network and arrives again after the second edit.
    await a.edit(r1!.id, { note: 'Sửa lần một' });
    net.plan('a', ['replay-later'], [4]);
    expect(await a.sync()).toBe('ok');
    await a.edit(r1!.id, { note: 'Sửa lần hai' });
    await a.create(r2!);
    expect(await a.sync()).toBe('ok');
    const before = snapshot(server.dataDir);
    await net.flush();
    expect(net.late).toHaveLength(1);
    expect(net.late[0]!.status).toBe(200);
    expect(snapshot(server.dataDir)).toEqual(before);
    expect(before.records.find((r) => r.id === r1!.id)!.wire.note).toBe('Sửa lần hai');
  });

  it('removes outbox rows only once acknowledged, and resends the rows past the acked seq', async () => {
    await setup();
    const counts: number[] = [];
    let shorten = true;
    // Watch the outbox while the request is out, and make the first answer acknowledge only seq 1,
    // as a server that stopped early would.
    const inner = net.fetchFor('a');
    const watching: typeof fetch = async (input, init) => {
      const path = String(input);
      if (path.endsWith('/sync/push')) counts.push(await a.db.outbox.count());
      const res = await inner(input, init);
      if (!path.endsWith('/sync/push') || !shorten) return res;
      shorten = false;
      const body = (await res.json()) as PushResponse;
      counts.push(await a.db.outbox.count());
      return Response.json({ ackedSeq: 1, results: body.results.slice(0, 1) });
    };
    const a = await device('a', 0, { fetch: watching });
    const recs = records(3);
    for (const r of recs) await a.create(r);

    expect(await a.sync()).toBe('ok');
    // 3 while the first push is out and after its answer came; 2 when the rest is resent.
    expect(counts).toEqual([3, 3, 2]);
    const pushes = net
      .requests('a', '/sync/push')
      .map((p) => (p.body as { mutations: { seq: number }[] }).mutations.map((m) => m.seq));
    expect(pushes).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(await a.db.outbox.count()).toBe(0);
    expect(snapshot(server.dataDir).records).toHaveLength(3);
  });
});

describe('pull', () => {
  it('gives the same answer for the same cursor, and pulling it again changes nothing on the device', async () => {
    await setup();
    const a = await device('a', 0);
    const b = await device('b', 1);
    for (const r of records(4)) await a.create(r);
    expect(await a.sync()).toBe('ok');
    expect(await b.sync()).toBe('ok');
    const older = (await getSyncMeta(b.db))!.cursor;

    const [first] = await a.writable();
    await a.edit(first!.id, { note: 'Sửa một lần' });
    await a.remove((await a.writable())[1]!.id);
    expect(await a.sync()).toBe('ok');
    expect(await b.sync()).toBe('ok');
    const state = { records: await b.records(), meta: await getSyncMeta(b.db) };

    // Back to the older cursor: the same page arrives again and leaves the same state.
    await putMeta(b.db, 'sync', { ...state.meta!, cursor: older });
    expect(await b.sync()).toBe('ok');
    expect(await b.records()).toEqual(state.records);
    expect((await getSyncMeta(b.db))!.cursor).toBe(state.meta!.cursor);
    const pulls = net
      .requests('b', '/sync/pull')
      .filter((p) => (p.body as { cursor: string }).cursor === older);
    expect(pulls).toHaveLength(2);
    expect(pulls[1]!.answer).toEqual(pulls[0]!.answer);
    expect((pulls[0]!.answer as PullResponse).changes.map((c) => c.deleted).sort()).toEqual([false, true]);
  });

  it('resumes a first pull cut after two pages from the saved cursor, keeping the pages already stored', async () => {
    await setup();
    const a = await device('a', 0);
    for (const r of records(23)) await a.create(r);
    expect(await a.sync()).toBe('ok');

    const b = await device('b', 1, { pullLimit: 5 });
    net.plan('b', ['ok', 'ok', 'drop-response']);
    expect(await b.sync()).toBe('offline');
    const cut = net.requests('b', '/sync/pull');
    expect(cut).toHaveLength(3);
    expect(await b.db.records.count()).toBe(10);
    expect((await getSyncMeta(b.db))!.cursor).toBe((cut[1]!.answer as PullResponse).cursor);

    expect(await b.sync()).toBe('ok');
    const resumed = net.requests('b', '/sync/pull').slice(3);
    expect((resumed[0]!.body as { cursor: string }).cursor).toBe((cut[1]!.answer as PullResponse).cursor);
    expect(resumed[0]!.answer).toEqual(cut[2]!.answer);
    // Every record once, the first two pages included (they belong to the same snapshot).
    const mine = await b.records();
    expect(mine.map((r) => r.id).sort()).toEqual((await a.records()).map((r) => r.id).sort());
    expect(mine.every((r) => r.syncState === 'synced')).toBe(true);
  });

  it('resumes a later pull cut mid-way without losing or repeating changes', async () => {
    await setup();
    const a = await device('a', 0);
    const b = await device('b', 1, { pullLimit: 4 });
    expect(await b.sync()).toBe('ok');
    for (const r of records(14)) await a.create(r);
    expect(await a.sync()).toBe('ok');
    for (const r of (await a.writable()).slice(0, 5)) await a.edit(r.id, { sex: 'male' });
    expect(await a.sync()).toBe('ok');

    net.plan('b', ['ok', 'drop-response']);
    expect(await b.sync()).toBe('offline');
    expect(await b.db.records.count()).toBe(4);
    net.plan('b', ['ok', 'drop-request']);
    expect(await b.sync()).toBe('offline');
    expect(await b.db.records.count()).toBe(8);
    expect(await b.sync()).toBe('ok');
    const s = snapshot(server.dataDir);
    const local = new Map((await b.records()).map((r) => [r.id, r]));
    expect(local.size).toBe(14);
    for (const row of s.records) {
      expect(local.get(row.id)?.serverVersion).toBe(row.version);
      expect(local.get(row.id)?.sex).toBe(row.wire.sex);
    }
  });
});
