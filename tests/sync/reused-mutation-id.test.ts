// A mutationId the server already wrote for another record, through the real engine and the real
// server: the phone is answered `rejected` (mutation_id_reused), never `applied`, so the record stays
// on the phone in its error state with the reason, instead of being dropped as if it had landed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, type PushRequest } from '../../src/shared/index.ts';
import { makeRecord, rng } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network } from './support/network.ts';
import { ServerTemplate, retire, snapshot, type RunningServer } from './support/server.ts';

let template: ServerTemplate;
const started: RunningServer[] = [];
const devices: Device[] = [];

beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv']);
});
afterAll(() => template?.dispose());
afterEach(async () => {
  for (const d of devices.splice(0)) await d.destroy();
  await retire(started);
});

describe('a reused mutationId', () => {
  it('leaves the second record on the phone in error with the reason, and the first one intact', async () => {
    const server = await template.start();
    started.push(server);
    const net = new Network(server.url);
    const a = await Device.open({ name: 'a', login: template.logins[0]!, fetch: net.fetchFor('a') });
    devices.push(a);
    const rand = rng(13);
    const first = makeRecord({ hamletId: 'thon-tay', note: 'đã gửi' }, rand);
    await a.create(first);
    expect(await a.sync()).toBe('ok');
    const used = (net.requests('a', '/sync/push').at(-1)!.body as PushRequest).mutations[0]!.mutationId;

    const second = makeRecord({ hamletId: 'thon-tay', note: 'trùng mã thay đổi' }, rand);
    await a.create(second);
    const row = (await a.outbox()).find((o) => o.recordId === second.id)!;
    await a.db.outbox.update(row.seq, { mutationId: used });
    expect(await a.sync()).toBe('ok');

    expect(await a.db.records.get(second.id)).toMatchObject({
      note: 'trùng mã thay đổi',
      syncState: 'error',
      syncError: ERRORS.mutation_id_reused.vi,
    });
    expect(await a.db.records.get(first.id)).toMatchObject({ syncState: 'synced' });
    const s = snapshot(server.dataDir);
    expect(s.records.map((r) => r.id)).toEqual([first.id]);
    expect(s.records[0]).toMatchObject({ wire: expect.objectContaining({ note: 'đã gửi' }) });
  });
});
