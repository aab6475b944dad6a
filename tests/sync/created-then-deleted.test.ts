// Invariant 7: deletes reach every device, and a record created and deleted offline ends clean on
// every path — on the phone that made it, on the others, and as the server's tombstone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PushResponse, SCHEMA_VERSION, newId, type PullResponse } from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network } from './support/network.ts';
import { ServerTemplate, retire, snapshot, type RunningServer } from './support/server.ts';

let template: ServerTemplate;
let server: RunningServer;
const started: RunningServer[] = [];
let net: Network;
const devices: Device[] = [];

// Logins: 0, 1 the volunteer's two phones; 2 the lead; 3 a script of the volunteer's.
beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv', 'demo-tnv', 'demo-lead', 'demo-tnv']);
});
afterAll(() => template?.dispose());
afterEach(async () => {
  for (const d of devices.splice(0)) await d.destroy();
  await retire(started);
});

async function start(...names: [string, number][]): Promise<Device[]> {
  server = await template.start();
  started.push(server);
  net = new Network(server.url);
  for (const [name, login] of names)
    devices.push(await Device.open({ name, login: template.logins[login]!, fetch: net.fetchFor(name) }));
  return devices;
}

/** Nothing of `id` is left on the device: no row (hidden or not) and no outbox row. */
async function clean(d: Device, id: string): Promise<void> {
  expect(await d.db.records.get(id), `${d.name} still holds ${id}`).toBeUndefined();
  expect(await d.db.outbox.count(), `${d.name}'s outbox`).toBe(0);
}

function tombstone(id: string) {
  const row = snapshot(server.dataDir).records.find((r) => r.id === id);
  return row && { deleted: row.deleted, data: row.deleted ? row.wire : null };
}

describe('a record created and deleted offline', () => {
  it('ends as a tombstone on the server and leaves nothing on the phone that made it, even when the answer is lost', async () => {
    const [a, lead] = await start(['a', 0], ['lead', 2]);
    expect(await lead!.sync()).toBe('ok');
    const r = makeRecord({ hamletId: 'thon-bac' });
    await a!.create(r);
    await a!.edit(r.id, { note: 'Nhập nhầm' });
    await a!.remove(r.id);

    net.plan('a', ['drop-response']);
    expect(await a!.sync()).toBe('offline');
    expect(await a!.db.outbox.count()).toBe(3);
    expect(await a!.sync()).toBe('ok');

    await clean(a!, r.id);
    expect(tombstone(r.id)).toMatchObject({ deleted: true });
    // Only the owner fields stay in the live table; the content went to history.
    expect(Object.keys(tombstone(r.id)!.data!).sort()).toEqual(['communeCode', 'teamId', 'volunteerId']);
    // The lead, pulling after the fact, gets a tombstone for an id it never had, and keeps nothing.
    expect(await lead!.sync()).toBe('ok');
    await clean(lead!, r.id);
    const lastPull = net.requests('lead', '/sync/pull').at(-1)!.answer as PullResponse;
    expect(lastPull.changes).toEqual([expect.objectContaining({ id: r.id, deleted: true, data: null })]);
  });

  it('is answered gone when its delete reached the server first, and the phone that made it ends clean', async () => {
    const [a, lead] = await start(['a', 0], ['lead', 2]);
    const r = makeRecord({ hamletId: 'thon-bac' });
    await a!.create(r);
    await a!.edit(r.id, { sex: 'female' });

    // The delete arrives first, from another client of the same volunteer (a script).
    const script = template.logins[3]!;
    const res = await fetch(`${server.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${script.token}` },
      body: JSON.stringify({
        clientId: `script-${newId()}`,
        schemaVersion: SCHEMA_VERSION,
        mutations: [{ seq: 1, mutationId: newId(), recordId: r.id, op: 'delete', baseVersion: null }],
      }),
    });
    expect(PushResponse.parse(await res.json()).results[0]).toMatchObject({ status: 'applied' });
    expect(tombstone(r.id)).toMatchObject({ deleted: true });

    expect(await a!.sync()).toBe('ok');
    const answer = net.requests('a', '/sync/push')[0]!.answer as PushResponse;
    expect(answer.results.map((x) => x.status)).toEqual(['gone', 'gone']);
    await clean(a!, r.id);
    expect(tombstone(r.id)).toMatchObject({ deleted: true });
    expect(snapshot(server.dataDir).history.filter((h) => h.recordId === r.id)).toHaveLength(1);
    expect(await lead!.sync()).toBe('ok');
    await clean(lead!, r.id);
  });
});

describe('a delete of a synced record', () => {
  it('reaches every other device, including one with an unsynced edit of it and one that was offline meanwhile', async () => {
    const [a, b, lead] = await start(['a', 0], ['b', 1], ['lead', 2]);
    const keep = makeRecord({ hamletId: 'thon-dong' });
    const r = makeRecord({ hamletId: 'thon-dong' });
    await a!.create(keep);
    await a!.create(r);
    for (const d of [a!, b!, lead!]) expect(await d.sync()).toBe('ok');
    for (const d of [a!, b!, lead!]) expect(await d.db.records.get(r.id)).toBeDefined();

    // The lead edits it offline; the volunteer's other phone is offline throughout.
    await lead!.edit(r.id, { note: 'Tổ trưởng bổ sung' });
    await a!.remove(r.id);
    expect(await a!.sync()).toBe('ok');
    expect(await lead!.sync()).toBe('ok');
    expect(await b!.sync()).toBe('ok');

    for (const d of [a!, b!, lead!]) {
      await clean(d, r.id);
      expect(await d.db.records.get(keep.id)).toMatchObject({ syncState: 'synced' });
    }
    const leadPush = net.requests('lead', '/sync/push').at(-1)!.answer as PushResponse;
    expect(leadPush.results.map((x) => x.status)).toEqual(['gone']);
    expect(tombstone(r.id)).toMatchObject({ deleted: true });

    // A phone that logs in afterwards never hears of it: a first pull leaves tombstones out.
    const late = await Device.open({ name: 'late', login: template.logins[1]!, fetch: net.fetchFor('late') });
    devices.push(late);
    expect(await late.sync()).toBe('ok');
    const first = net.requests('late', '/sync/pull')[0]!.answer as PullResponse;
    expect(first.changes.map((c) => c.id)).toEqual([keep.id]);
    await clean(late, r.id);
  });
});
