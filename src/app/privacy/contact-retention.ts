// Retention of follow-up contacts on the phone (docs/privacy.md): the phone keeps a contact only as
// the sealed copy waiting to be sent (it cannot open it). Once the server has the record
// (syncState 'synced', nothing of it left in the outbox) the sealed copy is dropped; the server's
// own retention (60 days after the case closes) takes over. The sealed ID number (citizenSeal) goes
// the same way: the server has made its key of it. Runs at start and every 10 minutes.
import type { SotayDB } from '../db/database.ts';

export const CONTACT_SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Records read per step of a sweep: each step is a short task, so a frame or a tap never waits long. */
const SWEEP_CHUNK = 500;

/**
 * Drop the sealed contact and ID number of every record the server already holds; returns how many.
 * Reads the records in key order, SWEEP_CHUNK at a time, each step its own transaction (one read of
 * them all was a task of half a second at 20,000 records on a slow phone), so a record waiting in
 * the outbox keeps its copy.
 */
export async function dropSentContacts(db: SotayDB): Promise<number> {
  let dropped = 0;
  for (let after = ''; ;) {
    const chunk = await db.transaction('rw', db.records, db.outbox, async () => {
      const read = await db.records.where(':id').above(after).limit(SWEEP_CHUNK).toArray();
      const synced = read.filter(
        (r) => r.syncState === 'synced' && (r.contact !== undefined || r.citizenSeal !== undefined),
      );
      if (synced.length === 0) return read;
      const ids = synced.map((r) => r.id);
      const pending = new Set(
        await db.outbox
          .where('recordId')
          .anyOf(ids)
          .toArray((os) => os.map((o) => o.recordId)),
      );
      const done = synced.filter((r) => !pending.has(r.id));
      await db.records.bulkPut(done.map(({ contact: _sent, citizenSeal: _sealed, ...rest }) => rest));
      dropped += done.length;
      return read;
    });
    if (chunk.length < SWEEP_CHUNK) return dropped;
    after = chunk[chunk.length - 1]!.id;
  }
}

/** Sweep now and every CONTACT_SWEEP_EVERY_MS; storage failures are retried at the next sweep. */
export function scheduleContactSweep(db: SotayDB): () => void {
  const run = () => void dropSentContacts(db).catch(() => undefined);
  run();
  const timer = setInterval(run, CONTACT_SWEEP_EVERY_MS);
  return () => clearInterval(timer);
}
