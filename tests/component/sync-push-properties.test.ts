// The push pipeline as a property: random local writes (records and group sessions, some while a
// push is on the wire) and syncs whose pushes meet lost answers, partial acknowledgements, 503s
// and a server that forgot the client. After one quiet sync the server has written each mutation
// exactly once, the outbox is empty, and every local row is synced at the server's version.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SotayDB, type LocalRecord, type OutboxRow } from '../../src/app/db/database.ts';
import { getSyncMeta, putMeta, storeLogin } from '../../src/app/db/meta-repo.ts';
import { deleteRecord, saveNewRecord, saveRecordEdit } from '../../src/app/db/records-repo.ts';
import { deleteSession, saveNewSession, saveSessionEdit } from '../../src/app/db/sessions-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { newId, type GroupSession } from '../../src/shared/index.ts';
import { wireRecord } from './support/db.ts';
import { FakeServer, loginResponse, type PushFault } from './support/fake-server.ts';

const RUNS = Number(process.env.FC_RUNS ?? 25);

/** A local write, as the screens make it (`pick` chooses among the live rows). */
type Write =
  | { kind: 'record' }
  | { kind: 'edit'; pick: number; note: string }
  | { kind: 'delete'; pick: number }
  | { kind: 'session' }
  | { kind: 'edit-session'; pick: number; place: string }
  | { kind: 'delete-session'; pick: number }
  /** Many creates at once: more than one chunk (100) waits. */
  | { kind: 'backlog'; n: number };

/**
 * Writes saved offline, then a sync whose pushes meet `faults` in order; `meanwhile` is saved
 * during its first push.
 */
interface Round {
  writes: Write[];
  faults: PushFault[];
  meanwhile: Write | null;
}

const NOTES = ['Hẹn quay lại tuần sau', 'Đã hướng dẫn xong', 'Cần hỗ trợ thêm'];
const PLACES = ['Nhà văn hóa thôn Đông', 'Sân trường tiểu học', 'Trụ sở ấp Bắc'];

const write: fc.Arbitrary<Write> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Write>({ kind: 'record' }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      pick: fc.nat(),
      note: fc.constantFrom(...NOTES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant<Write>({ kind: 'session' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit-session' as const),
      pick: fc.nat(),
      place: fc.constantFrom(...PLACES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-session' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('backlog' as const), n: fc.integer({ min: 60, max: 230 }) }),
  },
);

const fault: fc.Arbitrary<PushFault> = fc.oneof(
  fc.constantFrom<PushFault>('drop', '503', 'forget'),
  fc.integer({ min: 0, max: 150 }).map((partial): PushFault => ({ partial })),
);

const round: fc.Arbitrary<Round> = fc.record({
  writes: fc.array(write, { minLength: 1, maxLength: 4 }),
  faults: fc.array(fault, { maxLength: 4 }),
  meanwhile: fc.option(write, { freq: 3 }),
});

function wireSession(): GroupSession {
  const at = new Date().toISOString();
  return {
    id: newId(),
    heldOn: '2025-10-15',
    hamletId: 'h2',
    place: PLACES[0]!,
    topic: 'ai_apps',
    attendance: { 'female:18_59': 9, 'male:60_plus': 4 },
    facilitators: ['Người Hướng Dẫn Thử'],
    createdAt: at,
    updatedAt: at,
  };
}

/** `n` creates in one transaction, numbered on from the outbox's next seq. */
async function saveBacklog(db: SotayDB, n: number): Promise<void> {
  await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
    const sync = (await getSyncMeta(db))!;
    const records: LocalRecord[] = [];
    const rows: OutboxRow[] = [];
    for (let i = 0; i < n; i++) {
      const r = wireRecord();
      records.push({ ...r, serverVersion: 0, syncState: 'to_post' });
      rows.push({
        seq: sync.nextSeq + i,
        mutationId: newId(),
        recordId: r.id,
        op: 'upsert',
        baseVersion: 0,
        patch: { ...r },
        createdAt: r.createdAt!,
      });
    }
    await db.records.bulkAdd(records);
    await db.outbox.bulkAdd(rows);
    await putMeta(db, 'sync', { ...sync, nextSeq: sync.nextSeq + n });
  });
}

async function apply(db: SotayDB, w: Write): Promise<void> {
  const live = async (table: 'records' | 'groupSessions', pick: number): Promise<string | undefined> => {
    const ids = (await db[table].toArray()).filter((r) => !r.deleted).map((r) => r.id);
    return ids.length > 0 ? ids[pick % ids.length] : undefined;
  };
  let id: string | undefined;
  switch (w.kind) {
    case 'record':
      return saveNewRecord(db, wireRecord());
    case 'edit':
      if ((id = await live('records', w.pick))) await saveRecordEdit(db, id, { note: w.note });
      return;
    case 'delete':
      if ((id = await live('records', w.pick))) await deleteRecord(db, id);
      return;
    case 'session':
      return saveNewSession(db, wireSession());
    case 'edit-session':
      if ((id = await live('groupSessions', w.pick))) await saveSessionEdit(db, id, { place: w.place });
      return;
    case 'delete-session':
      if ((id = await live('groupSessions', w.pick))) await deleteSession(db, id);
      return;
    case 'backlog':
      return saveBacklog(db, w.n);
  }
}

describe('push pipeline property', () => {
  it('writes each mutation exactly once and leaves every row synced at the server version, whatever the pushes met', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 6 }), async (rounds) => {
        const db = new SotayDB(`sotay-push-property-${run++}`);
        try {
          await storeLogin(db, loginResponse());
          // Every mutation the phone ever queued (a renumbering under a new clientId keeps the ids).
          const queued = new Set<string>();
          db.outbox.hook('creating', (_key, row) => {
            queued.add(row.mutationId);
          });
          const server = new FakeServer();
          const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null, gzip: false });
          for (const c of rounds) {
            for (const w of c.writes) await apply(db, w);
            server.pushFaults.splice(0, Infinity, ...c.faults);
            let meanwhile = c.meanwhile;
            server.onPush = async () => {
              const w = meanwhile;
              meanwhile = null;
              if (w) await apply(db, w);
            };
            const outcome = await engine.syncNow();
            expect(['ok', 'offline', 'failed']).toContain(outcome);
            // Whatever stopped a run, nothing stays marked as uploading.
            expect(await db.records.where('syncState').equals('uploading').count()).toBe(0);
            expect(await db.groupSessions.where('syncState').equals('uploading').count()).toBe(0);
          }
          server.pushFaults.length = 0;
          server.onPush = null;

          expect(await engine.syncNow()).toBe('ok');

          expect(await db.outbox.count()).toBe(0);
          // Exactly once: every queued mutation written one time, nothing else, one version each.
          expect(new Set(server.writes.keys())).toEqual(queued);
          expect([...server.writes.values()].every((n) => n === 1)).toBe(true);
          expect(server.version).toBe(queued.size);
          // A resend carries the same content under the same mutation id, seqs run on within a
          // push, and one request is on the wire at a time.
          const sent = new Map<string, string>();
          for (const push of server.pushes()) {
            push.mutations.forEach((m, i) => expect(m.seq).toBe(push.mutations[0]!.seq + i));
            for (const { seq: _, ...m } of push.mutations) {
              const content = JSON.stringify(m);
              expect(sent.get(m.mutationId) ?? content).toBe(content);
              sent.set(m.mutationId, content);
            }
          }
          expect(server.maxInFlight).toBe(1);
          for (const [table, store] of [
            ['records', server.records],
            ['groupSessions', server.sessions],
          ] as const) {
            const local = await db[table].toArray();
            const held = [...store].filter(([, s]) => !s.deleted);
            expect(local.map((r) => r.id).sort()).toEqual(held.map(([id]) => id).sort());
            for (const row of local) {
              const there = store.get(row.id)!;
              expect(row).toMatchObject({ ...there.data, syncState: 'synced', serverVersion: there.version });
            }
          }
        } finally {
          db.close();
          await db.delete();
        }
      }),
      { numRuns: RUNS },
    );
  }, 240_000);
});
