// Retention of follow-up contacts (docs/privacy.md): a contact is deleted N days (default 60) after
// its case closed, i.e. after the record's outcome left "needs follow-up" (contact-write.ts). Runs
// at start, every hour while the server runs, and with `--prune`; the clock is a parameter so tests
// can move it.
import type { Store } from '../store/store.ts';

export const DEFAULT_CONTACT_RETENTION_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;
export const CONTACT_PURGE_EVERY_MS = 60 * 60 * 1000;

export interface ContactPurgeReport {
  purged: number;
  /** Contacts whose case closed before this time were deleted. */
  before: string;
}

export async function purgeClosedContacts(
  store: Store,
  o: { days: number; now?: Date },
): Promise<ContactPurgeReport> {
  const before = new Date((o.now ?? new Date()).getTime() - o.days * DAY_MS).toISOString();
  const purged = await store.transaction((tx) => tx.purgeContacts(before));
  return { purged, before };
}

/** Purge now and then every hour; returns the stop function. Failures are logged, never fatal. */
export function scheduleContactPurge(
  store: Store,
  days: number,
  log: { info(o: object, msg: string): void; error(o: object, msg: string): void },
): () => void {
  const run = (): void => {
    purgeClosedContacts(store, { days }).then(
      (r) => {
        if (r.purged > 0) log.info({ purged: r.purged, before: r.before }, 'purged follow-up contacts');
      },
      (err: unknown) => log.error({ err }, 'contact purge failed'),
    );
  };
  run();
  const timer = setInterval(run, CONTACT_PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
