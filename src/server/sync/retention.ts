// How long tombstones and stored push results are kept, and the maintenance step that prunes older
// ones (`cli.ts --prune`). The protocol promises tombstones for at least 180 days.
import type { PruneReport, Store } from '../store/store.ts';

export const DEFAULT_RETENTION_DAYS = 365;
export const MIN_RETENTION_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

export class RetentionError extends RangeError {
  constructor(days: number) {
    super(
      `Tombstones must be kept at least ${MIN_RETENTION_DAYS} days (sync protocol); got ${days}. ` +
        'A phone offline longer than the retention period would never hear of a delete.',
    );
    this.name = 'RetentionError';
  }
}

/** The server time before which tombstones and push results may go. Pure. */
export function pruneCutoff(now: Date, days: number): string {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) throw new RetentionError(days);
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

export interface PruneRun extends PruneReport {
  /** The cutoff used: only what was last written before it went. */
  before: string;
}

export async function pruneExpired(
  store: Store,
  options: { now?: Date; days?: number } = {},
): Promise<PruneRun> {
  const before = pruneCutoff(options.now ?? new Date(), options.days ?? DEFAULT_RETENTION_DAYS);
  return { before, ...(await store.prune(before)) };
}
