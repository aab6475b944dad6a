// The restore drill seen from a phone: the server is backed up while it runs (backup.ts), the phone
// keeps syncing, the server comes back from the backup on a new data dir (the restore command), and
// the phone's next sync puts back everything it synced or saved since: nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../../src/server/backup.ts';
import { defaultKeyFile, loadOrCreateKeys } from '../../src/server/privacy/keys.ts';
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

describe('a phone after its server was restored from a backup by the restore command', () => {
  it('sends again what the restored server lacks: records synced after the backup, edits, new ones', async () => {
    let server: RunningServer = await template.start();
    const firstDir = server.dataDir;
    const backups = tempDir('sotay-backups-');
    const restoredDir = tempDir('sotay-restored-');
    const net = new Network(server.url);
    const a = await Device.open({ name: 'a', login: template.logins[0]!, fetch: net.fetchFor('a') });
    try {
      const [r1, r2, r3, r4] = Array.from({ length: 4 }, () => makeRecord({ hamletId: 'thon-dong' }));
      await a.create(r1!);
      expect(await a.sync()).toBe('ok');
      await loadOrCreateKeys(defaultKeyFile(firstDir));
      const folder = await backup({ dataDir: firstDir }, backups);

      // After the backup: a new record and an edit, both synced (nothing pending on the phone) …
      await a.create(r2!);
      await a.edit(r1!.id, { note: 'Sửa sau khi sao lưu' });
      await a.create(r3!);
      expect(await a.sync()).toBe('ok');
      expect(await a.db.outbox.count()).toBe(0);
      // … then, offline, an edit of a record the backup lacks and a new record.
      await a.edit(r3!.id, { note: 'Bổ sung khi mất mạng' });
      await a.create(r4!);

      await server.stop();
      await restore({ dataDir: restoredDir }, folder);
      server = await listen(restoredDir, false);
      net.baseUrl = server.url;

      expect(await a.sync()).toBe('ok');
      expect(await a.db.outbox.count()).toBe(0);
      const live = new Map(
        snapshot(restoredDir)
          .records.filter((r) => !r.deleted)
          .map((r) => [r.id, r]),
      );
      expect([...live.keys()].sort()).toEqual([r1!.id, r2!.id, r3!.id, r4!.id].sort());
      expect(live.get(r1!.id)?.wire.note).toBe('Sửa sau khi sao lưu');
      expect(live.get(r3!.id)?.wire.note).toBe('Bổ sung khi mất mạng');
      const here = await a.records();
      expect(here.map((r) => r.id).sort()).toEqual([...live.keys()].sort());
      expect(here.every((r) => r.syncState === 'synced')).toBe(true);
      // Versions the phone holds are the restored server's, past the restore's gap.
      for (const r of here) expect(r.serverVersion).toBe(live.get(r.id)?.version);
    } finally {
      await a.destroy();
      await server.stop();
      removeDir(firstDir);
      removeDir(restoredDir);
      removeDir(backups);
    }
  }, 60_000);
});
