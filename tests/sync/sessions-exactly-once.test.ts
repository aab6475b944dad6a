// Group sessions exactly once against the real server process (docs/group-sessions.md, "Sync"): a
// phone's pushes mixing sessions and records are delivered twice, their answers lost, a stale copy
// replayed later and the server SIGKILLed while a push is on the wire; the server ends holding each
// session once, each mutation applied once, and the phone ends with everything synced.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { saveNewSession, saveSessionEdit, sessionWireFields } from '../../src/app/db/sessions-repo.ts';
import { newId, type GroupSession } from '../../src/shared/index.ts';
import { SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
import { makeRecord } from '../support/factories.ts';
import { startCli, type CliServer } from './support/cli-server.ts';
import { Device } from './support/device.ts';
import { Network, NetworkError } from './support/network.ts';
import { login, removeDir, snapshot, tempDir, versionProblems } from './support/server.ts';

const dataDir = tempDir('sotay-sessions-once-');
let server: CliServer | undefined;
const devices: Device[] = [];
afterAll(async () => {
  for (const d of devices) await d.destroy();
  await server?.kill('SIGKILL');
  removeDir(dataDir);
});

let made = 0;
/** A made-up session: head counts only, an invented facilitator. */
function makeSession(over: Partial<GroupSession> = {}): GroupSession {
  made += 1;
  const at = new Date().toISOString();
  return {
    id: newId(),
    heldOn: '2026-11-20',
    hamletId: made % 2 === 0 ? 'thon-dong' : 'thon-tay',
    place: `Nhà văn hóa thôn thử ${made}`,
    topic: made % 3 === 0 ? 'vneid' : 'ai_apps',
    attendance: { 'female:60_plus': 5 + made, 'male:18_59': 2 },
    facilitators: [`Người hướng dẫn thử ${made}`],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

interface ServerSession {
  id: string;
  version: number;
  deleted: boolean;
  volunteerId: string;
  data: Record<string, unknown>;
}

/** The server's group_sessions as the file holds them (what the API does not show). */
function serverSessions(): ServerSession[] {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT id, version, deleted, volunteer_id, data FROM group_sessions ORDER BY version')
      .all() as { id: string; version: number; deleted: number; volunteer_id: string; data: string }[];
    return rows.map((r) => ({
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      volunteerId: r.volunteer_id,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('group sessions exactly once, through a killed server', () => {
  it('replays, lost answers and a SIGKILL mid-push leave each session once and the phone synced', async () => {
    server = await startCli(dataDir);
    const net = new Network(server.url);
    let killOnPush = false;
    let killed: NodeJS.Signals | null = null;
    const inner = net.fetchFor('a');
    // The server dies while the push is on the wire: it may or may not have committed it.
    const dying: typeof fetch = async (input, init) => {
      if (!killOnPush || !String(input).endsWith('/sync/push')) return inner(input, init);
      killOnPush = false;
      const sent = inner(input, init).catch(() => null);
      killed = (await server!.kill('SIGKILL')).signal;
      await sent;
      throw new NetworkError();
    };
    const phone = await Device.open({ name: 'a', login: await login(server.url, 'demo-tnv'), fetch: dying });
    devices.push(phone);

    // 1. Sessions and records mixed in one push, delivered twice by the network.
    const [s1, s2, s3, s4] = [makeSession(), makeSession(), makeSession(), makeSession()];
    const [r1, r2] = [makeRecord({ hamletId: 'thon-dong' }), makeRecord({ hamletId: 'thon-tay' })];
    await saveNewSession(phone.db, s1!);
    await phone.create(r1!);
    await saveNewSession(phone.db, s2!);
    net.plan('a', ['duplicate']);
    expect(await phone.sync()).toBe('ok');
    expect(serverSessions()).toHaveLength(2);

    // 2. An edit, a new session and a record: the server applies them, the answer is lost.
    await saveSessionEdit(phone.db, s1!.id, { note: 'Thêm ghi chú sau buổi' });
    await saveNewSession(phone.db, s3!);
    await phone.create(r2!);
    net.plan('a', ['drop-response']);
    expect(await phone.sync()).toBe('offline');
    expect(serverSessions()).toHaveLength(3);
    expect(await phone.db.outbox.count()).toBe(3);

    // 3. More on top, and the server is killed while that push is out; then it starts again.
    await saveSessionEdit(phone.db, s2!.id, { attendance: { 'female:18_59': 11 } });
    await saveNewSession(phone.db, s4!);
    killOnPush = true;
    expect(await phone.sync()).toBe('offline');
    expect(killed).toBe('SIGKILL');
    server = await startCli(dataDir);
    net.baseUrl = server.url;

    // 4. The retry (same seqs, same mutation ids) is answered from what the server kept.
    expect(await phone.sync()).toBe('ok');
    const settled = snapshot(dataDir);
    const sessionsSettled = serverSessions();

    // 5. A stale copy of a later push arrives after it was answered: nothing changes.
    await saveSessionEdit(phone.db, s3!.id, { place: 'Hội trường thôn thử' });
    net.plan('a', ['replay-later'], [1]);
    expect(await phone.sync()).toBe('ok');
    await net.flush();
    expect(net.late.map((l) => l.status)).toEqual([200]);
    expect(await phone.sync()).toBe('ok');

    // The server: each session once, created once, each mutation written once, no version reused.
    const sessions = serverSessions();
    expect(sessions.map((s) => s.id).sort()).toEqual([s1!.id, s2!.id, s3!.id, s4!.id].sort());
    expect(sessions.every((s) => !s.deleted && s.volunteerId === phone.userId)).toBe(true);
    const final = snapshot(dataDir);
    expect(versionProblems(final)).toEqual([]);
    const written = final.history.filter((h) => h.mutationId !== null).map((h) => h.mutationId);
    expect(new Set(written).size).toBe(written.length);
    const historyOf = (id: string) => final.history.filter((h) => h.recordId === id).map((h) => h.op);
    expect(historyOf(s1!.id)).toEqual(['create', 'update']);
    expect(historyOf(s2!.id)).toEqual(['create', 'update']);
    expect(historyOf(s3!.id)).toEqual(['create', 'update']);
    expect(historyOf(s4!.id)).toEqual(['create']);
    expect(final.records.map((r) => r.id).sort()).toEqual([r1!.id, r2!.id].sort());
    // Only the one edit after step 4 moved the counter; the replay and the last sync did not.
    expect(final.globalVersion).toBe(settled.globalVersion + 1);
    const moved = sessions.filter((s) => sessionsSettled.find((b) => b.id === s.id)?.version !== s.version);
    expect(moved.map((s) => s.id)).toEqual([s3!.id]);
    expect(sessions.find((s) => s.id === s1!.id)?.data.note).toBe('Thêm ghi chú sau buổi');
    expect(sessions.find((s) => s.id === s2!.id)?.data.attendance).toEqual({ 'female:18_59': 11 });
    expect(sessions.find((s) => s.id === s3!.id)?.data.place).toBe('Hội trường thôn thử');

    // The phone: nothing waiting, every session synced at the server's version with its content.
    expect(await phone.db.outbox.count()).toBe(0);
    const local = await phone.db.groupSessions.toArray();
    expect(local).toHaveLength(4);
    for (const l of local) {
      const held = sessions.find((s) => s.id === l.id)!;
      expect(l.syncState).toBe('synced');
      expect(l.serverVersion).toBe(held.version);
      expect(l.volunteerId).toBe(phone.userId);
      const { volunteerId: _owner, ...wire } = sessionWireFields(l);
      expect(wire).toEqual(held.data);
    }
    expect((await phone.records()).every((r) => r.syncState === 'synced')).toBe(true);
    expect(await phone.db.records.count()).toBe(2);
  });
});
