// Retention of follow-up contacts on the phone (docs/privacy.md): the phone keeps a contact only as
// the sealed copy waiting to be sent (it cannot open it). Once the server has the record
// (syncState 'synced', nothing of it left in the outbox) the sealed copy is dropped; the server's
// own retention (60 days after the case closes) takes over. The sealed ID number (citizenSeal) goes
// the same way: the server has made its key of it. Runs at start and every 10 minutes.
import type { SotayDB } from '../db/database.ts';

export const CONTACT_SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Drop the sealed contact and ID number of every record the server already holds; returns how many. */
export async function dropSentContacts(db: SotayDB): Promise<number> {
  return db.transaction('rw', db.records, db.outbox, async () => {
    const synced = await db.records.where('syncState').equals('synced').toArray();
    const withContact = synced.filter((r) => r.contact !== undefined || r.citizenSeal !== undefined);
    if (withContact.length === 0) return 0;
    const pending = new Set((await db.outbox.toArray()).map((o) => o.recordId));
    const done = withContact.filter((r) => !pending.has(r.id));
    await db.records.bulkPut(
      done.map((r) => {
        const { contact: _sent, citizenSeal: _sealed, ...rest } = r;
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
