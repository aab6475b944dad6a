// The server restored from an older backup forgets acknowledged seqs (sync-protocol.md, "Push
// semantics"): the phone must move to a new clientId, renumber its outbox and still sync it.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSyncMeta } from '../../src/app/db/meta-repo.ts';
import { makeRecord } from '../support/factories.ts';
import { Device } from './support/device.ts';
import { Network } from './support/network.ts';
import {
  ServerTemplate,
  listen,
  removeDir,
  snapshot,
  tempDir,
  type RunningServer,
} from './support/server.ts';

let template: ServerTemplate;
beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv']);
});
afterAll(() => template?.dispose());

/** Copy the database files of a stopped server (no -shm: it is rebuilt on open). */
function copyDb(from: string, to: string): void {
  for (const f of readdirSync(to)) if (f.startsWith('sotay.sqlite')) rmSync(join(to, f));
  for (const f of readdirSync(from))
    if (f.startsWith('sotay.sqlite') && !f.endsWith('-shm')) copyFileSync(join(from, f), join(to, f));
}

describe('a server restored from an older backup', () => {
  it('gets the pending outbox under a new clientId, each mutation once', async () => {
    let server: RunningServer = await template.start();
    const dataDir = server.dataDir;
    const backup = tempDir('sotay-backup-');
    const net = new Network(server.url);
    const a = await Device.open({ name: 'a', login: template.logins[0]!, fetch: net.fetchFor('a') });
    try {
      const [r1, r2, r3, r4] = Array.from({ length: 4 }, () => makeRecord({ hamletId: 'thon-dong' }));
      await a.create(r1!);
      expect(await a.sync()).toBe('ok');
      // Nightly backup, then more work the backup will not have.
      await server.stop();
      copyDb(dataDir, backup);
      server = await listen(dataDir, false);
      net.baseUrl = server.url;
      await a.create(r2!);
      expect(await a.sync()).toBe('ok');
      const oldClient = await a.clientId();

      // The disk fails; the server comes back from the backup. Meanwhile the phone saved more.
      await a.create(r3!);
      await a.edit(r3!.id, { note: 'Bổ sung sau' });
      await a.create(r4!);
      await server.stop();
      copyDb(backup, dataDir);
      server = await listen(dataDir, false);
      net.baseUrl = server.url;
      expect(snapshot(dataDir).clients.get(oldClient)).toBe(1);

      expect(await a.sync()).toBe('ok');
      expect(await a.db.outbox.count()).toBe(0);
      const meta = await getSyncMeta(a.db);
      expect(meta!.clientId).not.toBe(oldClient);
      const s = snapshot(dataDir);
      expect(s.clients.get(meta!.clientId)).toBe(3);
      const live = new Map(s.records.filter((r) => !r.deleted).map((r) => [r.id, r]));
      expect(live.get(r3!.id)?.wire.note).toBe('Bổ sung sau');
      expect(live.has(r4!.id)).toBe(true);
      expect(live.has(r1!.id)).toBe(true);
    } finally {
      await a.destroy();
      await server.stop();
      removeDir(dataDir);
      removeDir(backup);
    }
  });
});
