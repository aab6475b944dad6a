// Retention of the local contact copies (docs/privacy.md): a copy goes at once when its record is
// gone or deleted, and LOCAL_CONTACT_RETENTION_DAYS after the device first saw the record's case
// closed (outcome other than "needs follow-up"); a record back to follow_up keeps its copy again.
// Runs at start and every 10 minutes (the same rhythm as contact-retention.ts). Needs no PIN.
import type { SotayDB } from '../db/database.ts';
import { vaultTables } from '../db/vault-tables.ts';

/** As the server's CONTACT_RETENTION_DAYS default. */
export const LOCAL_CONTACT_RETENTION_DAYS = 60;
export const VAULT_SWEEP_EVERY_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN_OUTCOME = 'follow_up';

/** Purge expired copies and note newly closed cases; returns how many copies were deleted. */
export async function purgeLocalContacts(db: SotayDB, now: Date = new Date()): Promise<number> {
  const T = vaultTables(db);
  return db.transaction('rw', [db.records, T.vaultContacts], async () => {
    const rows = await T.vaultContacts.toArray();
    if (rows.length === 0) return 0;
    const records = await db.records.bulkGet(rows.map((r) => r.recordId));
    const drop: string[] = [];
    const cutoff = now.getTime() - LOCAL_CONTACT_RETENTION_DAYS * DAY_MS;
    for (const [i, row] of rows.entries()) {
      const rec = records[i];
      if (!rec || rec.deleted) {
        drop.push(row.recordId);
      } else if (rec.outcome === OPEN_OUTCOME) {
        if (row.closedAt) await T.vaultContacts.update(row.recordId, { closedAt: undefined });
      } else if (!row.closedAt) {
        await T.vaultContacts.update(row.recordId, { closedAt: now.toISOString() });
      } else if (Date.parse(row.closedAt) <= cutoff) {
        drop.push(row.recordId);
      }
    }
    if (drop.length > 0) await T.vaultContacts.bulkDelete(drop);
    return drop.length;
  });
}

/** Sweep now and every VAULT_SWEEP_EVERY_MS; a failure is retried at the next sweep. */
export function scheduleVaultSweep(db: SotayDB): () => void {
  const run = () => void purgeLocalContacts(db).catch(() => undefined);
  run();
  const timer = setInterval(run, VAULT_SWEEP_EVERY_MS);
  return () => clearInterval(timer);
}
