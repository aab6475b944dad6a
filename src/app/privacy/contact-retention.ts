// Retention of follow-up contacts on the phone (docs/privacy.md): the phone keeps a contact only as
// the sealed copy waiting to be sent (it cannot open it). Once the server has the record
// (syncState 'synced', nothing of it left in the outbox) the sealed copy is dropped; the server's
// own retention (60 days after the case closes) takes over. The sealed ID number (citizenSeal) goes
// the same way: the server has made its key of it. Runs at start and every 10 minutes.
import type { LocalRecord, SotayDB } from '../db/database.ts';

export const CONTACT_SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Records read per step of a sweep: each step is a short task, so a frame or a tap never waits long. */
const SWEEP_CHUNK = 500;

/**
 * Drop the sealed contact and ID number of every record the server already holds; returns how many.
 * Reads the records in key order, SWEEP_CHUNK at a time (one read of them all was a task of half a
 * second at 20,000 records on a slow phone); a step that finds some checks them again and writes in
 * one transaction, so a record waiting in the outbox keeps its copy.
 */
export async function dropSentContacts(db: SotayDB): Promise<number> {
  let dropped = 0;
  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const chunk: LocalRecord[] = await (
      from === null ? db.records.orderBy(':id') : db.records.where(':id').above(from)
    )
      .limit(SWEEP_CHUNK)
      .toArray();
    if (chunk.length === 0) return dropped;
    after = chunk[chunk.length - 1]!.id;
    const found = chunk.filter((r) => r.syncState === 'synced' && holdsSealed(r)).map((r) => r.id);
    if (found.length > 0) dropped += await dropChecked(db, found);
    if (chunk.length < SWEEP_CHUNK) return dropped;
  }
}

const holdsSealed = (r: { contact?: unknown; citizenSeal?: unknown }) =>
  r.contact !== undefined || r.citizenSeal !== undefined;

/** The records of `ids` still synced, holding a sealed copy and not in the outbox, stripped of it. */
function dropChecked(db: SotayDB, ids: string[]): Promise<number> {
  return db.transaction('rw', db.records, db.outbox, async () => {
    const current = await db.records.bulkGet(ids);
    const withContact = current.filter((r) => r !== undefined && r.syncState === 'synced' && holdsSealed(r));
    if (withContact.length === 0) return 0;
    const pending = new Set(
      await db.outbox
        .where('recordId')
        .anyOf(ids)
        .toArray((os) => os.map((o) => o.recordId)),
    );
    const done = withContact.filter((r) => !pending.has(r!.id));
    await db.records.bulkPut(
      done.map((r) => {
        const { contact: _sent, citizenSeal: _sealed, ...rest } = r!;
        return rest;
      }),
    );
    return done.length;
  });
}

/** Sweep now and every CONTACT_SWEEP_EVERY_MS; storage failures are retried at the next sweep. */
export function scheduleContactSweep(db: SotayDB): () => void {
  const run = () => void dropSentContacts(db).catch(() => undefined);
  run();
  const timer = setInterval(run, CONTACT_SWEEP_EVERY_MS);
  return () => clearInterval(timer);
}
