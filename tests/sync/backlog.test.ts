// Invariants 9 and 12 over real HTTP: one permanently invalid mutation among 250 blocks none of the
// others; a 5,000-mutation backlog drains in chunks of the server's maxMutations (told at login;
// 110 here, so a backlog is many chunks), saving progress per chunk across a cut.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushRequest, PushResponse } from '../../src/shared/index.ts';
import { makeRecord, rng } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network } from './support/network.ts';
import { ServerTemplate, retire, snapshot, versionProblems, type RunningServer } from './support/server.ts';

/** The servers' MAX_MUTATIONS: not the default, so the phone must have taken it from login. */
const MAX = 110;
let template: ServerTemplate;
let server: RunningServer;
const started: RunningServer[] = [];
let net: Network;
const devices: Device[] = [];

beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv'], MAX);
});
afterAll(() => template?.dispose());
afterEach(async () => {
  for (const d of devices.splice(0)) await d.destroy();
  await retire(started);
});

async function phone(): Promise<Device> {
  server = await template.start();
  started.push(server);
  net = new Network(server.url);
  const d = await Device.open({ name: 'a', login: template.logins[0]!, fetch: net.fetchFor('a') });
  devices.push(d);
  return d;
}

function pushes(): PushRequest[] {
  return net.requests('a', '/sync/push').map((s) => s.body as PushRequest);
}

describe('a permanently invalid mutation', () => {
  it('among 250 is rejected with its reason while every other one is applied, and syncs once corrected', async () => {
    const a = await phone();
    const rand = rng(9);
    const ids: string[] = [];
    const BAD = 137;
    let badId = '';
    await a.db.transaction('rw', [a.db.records, a.db.outbox, a.db.meta], async () => {
      for (let seq = 1; seq <= 250; seq++) {
        if (seq === BAD) {
          // Saved as an older app would have (no form check): a hamlet this commune does not have.
          const bad = makeRecord({ hamletId: 'thon-khong-co' }, rand);
          badId = bad.id;
          await a.create(bad);
        } else if (seq % 5 === 0 && ids.length > 0) {
          await a.edit(ids[Math.floor(rand() * ids.length)]!, { note: `Sửa #${seq}` });
        } else {
          const r = makeRecord({ hamletId: 'thon-tay' }, rand);
          ids.push(r.id);
          await a.create(r);
        }
      }
    });

    expect(await a.sync()).toBe('ok');

    expect(template.logins[0]!.maxMutations).toBe(MAX);
    expect(pushes().map((p) => p.mutations.length)).toEqual([MAX, MAX, 250 - 2 * MAX]);
    const results = net
      .requests('a', '/sync/push')
      .flatMap((s) => (s.answer as PushResponse).results.map((r) => [r.seq, r.status] as const));
    expect(results.filter(([, status]) => status !== 'applied')).toEqual([[BAD, 'rejected']]);
    expect(results.map(([seq]) => seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const s = snapshot(server.dataDir);
    expect(s.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(s.clients.get(await a.clientId())).toBe(250);
    // The phone shows why, keeps the record for correction, and does not send it again and again.
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.db.records.get(badId)).toMatchObject({
      syncState: 'error',
      syncError: 'Thôn/ấp không thuộc xã của bạn.',
    });
    expect(await a.sync()).toBe('ok');
    expect(pushes()).toHaveLength(3);
    expect((await a.records()).filter((r) => r.syncState !== 'synced').map((r) => r.id)).toEqual([badId]);

    // Corrected on the phone, the refused record goes through: it was never lost.
    await a.edit(badId, { hamletId: 'thon-bac' });
    expect(await a.sync()).toBe('ok');
    expect(await a.db.records.get(badId)).toMatchObject({ syncState: 'synced', hamletId: 'thon-bac' });
    const fixed = snapshot(server.dataDir).records.find((r) => r.id === badId);
    expect(fixed).toMatchObject({ deleted: false, wire: expect.objectContaining({ hamletId: 'thon-bac' }) });
  });
});

describe('a 5,000-mutation backlog', () => {
  it("drains in chunks of the server's maxMutations, keeps exactly the unacknowledged rows across a cut and an app restart, and resumes", async () => {
    const a = await phone();
    const TOTAL = 5000;
    const CUT_AFTER = 17;
    const rand = rng(5000);
    await a.db.transaction('rw', [a.db.records, a.db.outbox, a.db.meta], async () => {
      for (let i = 0; i < TOTAL; i++) await a.create(makeRecord({ hamletId: 'thon-nam' }, rand));
    });

    // Chunk 18 reaches the server, but its answer is lost: the phone only knows 17 chunks.
    net.plan('a', [...Array<'ok'>(CUT_AFTER).fill('ok'), 'drop-response']);
    expect(await a.sync()).toBe('offline');
    expect(pushes()).toHaveLength(CUT_AFTER + 1);
    const acked = CUT_AFTER * MAX;
    const left = await a.outbox();
    expect(left.map((r) => r.seq)).toEqual(Array.from({ length: TOTAL - acked }, (_, i) => acked + i + 1));
    const states = await a.records();
    expect(states.filter((r) => r.syncState === 'synced')).toHaveLength(acked);
    expect(states.filter((r) => r.syncState === 'to_post')).toHaveLength(TOTAL - acked);
    expect(snapshot(server.dataDir).records).toHaveLength(acked + MAX);

    // The app is closed and opened again: only what IndexedDB kept counts.
    await a.reopen();
    expect(await a.sync()).toBe('ok');

    const all = pushes();
    expect(all).toHaveLength(Math.ceil(TOTAL / MAX) + 1);
    expect(all.every((p) => p.mutations.length <= MAX)).toBe(true);
    expect(all[CUT_AFTER + 1]!.mutations[0]!.seq).toBe(acked + 1);
    // Each chunk starts where the previous acknowledged one ended.
    const firsts = all.slice(CUT_AFTER + 1).map((p) => p.mutations[0]!.seq);
    expect(firsts).toEqual(Array.from({ length: firsts.length }, (_, i) => acked + 1 + i * MAX));
    expect(await a.db.outbox.count()).toBe(0);
    const s = snapshot(server.dataDir);
    expect(s.records).toHaveLength(TOTAL);
    expect(s.globalVersion).toBe(TOTAL);
    expect(versionProblems(s)).toEqual([]);
    const local = await a.records();
    expect(local).toHaveLength(TOTAL);
    expect(local.every((r) => r.syncState === 'synced' && r.serverVersion > 0)).toBe(true);
  });
});
