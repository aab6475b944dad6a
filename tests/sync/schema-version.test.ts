// Invariant 14: a push in a record schema older than the server accepts answers 426 schema_too_old
// and stores nothing; the current schema (and, once there is one, the schema one behind) syncs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../src/app/sync/engine.ts';
import {
  ERRORS,
  MIN_SCHEMA_VERSION,
  SCHEMA_VERSION,
  newId,
  type PushResponse,
} from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network, rewriteJsonBody } from './support/network.ts';
import { ServerTemplate, retire, snapshot, type RunningServer } from './support/server.ts';

let template: ServerTemplate;
let server: RunningServer;
const started: RunningServer[] = [];
let token = '';
const devices: Device[] = [];

beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv', 'demo-tnv']);
  token = template.logins[0]!.token;
});
afterAll(() => template?.dispose());
afterEach(async () => {
  for (const d of devices.splice(0)) await d.destroy();
  await retire(started);
});

async function start(): Promise<void> {
  server = await template.start();
  started.push(server);
}

async function push(schemaVersion: number, clientId = `schema-${newId()}`) {
  const record = makeRecord({ hamletId: 'thon-dong' });
  const res = await fetch(`${server.url}/api/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      clientId,
      schemaVersion,
      mutations: [
        { seq: 1, mutationId: newId(), recordId: record.id, op: 'upsert', baseVersion: null, patch: record },
      ],
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the record schema version of a push', () => {
  it('below the oldest accepted answers 426 schema_too_old and stores nothing', async () => {
    await start();
    const before = snapshot(server.dataDir);
    const clientId = `schema-${newId()}`;
    const res = await push(0, clientId);
    expect(res.status).toBe(426);
    expect(res.body).toMatchObject({ error: { code: 'schema_too_old', message: ERRORS.schema_too_old.vi } });
    const after = snapshot(server.dataDir);
    expect(after.globalVersion).toBe(before.globalVersion);
    expect(after.records).toEqual([]);
    expect(after.clients.has(clientId)).toBe(false);
  });

  it('that is current is accepted, and one version behind is accepted whenever such a version exists', async () => {
    await start();
    const current = await push(SCHEMA_VERSION);
    expect(current.status).toBe(200);
    expect((current.body as unknown as PushResponse).results[0]).toMatchObject({ status: 'applied' });
    // With SCHEMA_VERSION 1 there is no older schema yet; the day it is bumped, the one behind must
    // still sync (invariant 14), so the oldest accepted may not be newer than it.
    const behind = SCHEMA_VERSION - 1;
    if (behind >= 1) {
      expect(MIN_SCHEMA_VERSION).toBeLessThanOrEqual(behind);
      expect((await push(behind)).status).toBe(200);
    } else {
      expect(MIN_SCHEMA_VERSION).toBe(1);
    }
  });

  it('too old keeps the outbox on the phone and tells the user to update the app', async () => {
    await start();
    const net = new Network(server.url);
    // An outdated app: the same engine, its pushes rewritten to an older schema version on the way.
    const inner = net.fetchFor('old');
    const oldApp: typeof fetch = async (input, init) =>
      String(input).endsWith('/sync/push')
        ? inner(
            input,
            await rewriteJsonBody(init, (b) => ({ ...(b as object), schemaVersion: MIN_SCHEMA_VERSION - 1 })),
          )
        : inner(input, init);
    const events: SyncEvent[] = [];
    const old = await Device.open({ name: 'old', login: template.logins[0]!, fetch: oldApp });
    devices.push(old);
    old.engine.subscribe((e) => events.push(e));
    await old.create(makeRecord({ hamletId: 'thon-dong' }));

    // 'outdated': the app shows "update the app" and stops retrying until it is updated.
    expect(await old.sync()).toBe('outdated');
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      outcome: 'outdated',
      status: 426,
      message: ERRORS.schema_too_old.vi,
    });
    expect(await old.db.outbox.count()).toBe(1);
    expect((await old.records())[0]!.syncState).toBe('to_post');
    expect(snapshot(server.dataDir).records).toEqual([]);

    // Once the app is updated, the same phone's outbox goes through.
    old.db.close();
    const updated = await Device.open({
      name: 'updated',
      login: template.logins[0]!,
      fetch: net.fetchFor('updated'),
      dbName: old.dbName,
    });
    devices.unshift(updated);
    expect(await updated.sync()).toBe('ok');
    expect(await updated.db.outbox.count()).toBe(0);
    expect(snapshot(server.dataDir).records).toHaveLength(1);
  });
});
