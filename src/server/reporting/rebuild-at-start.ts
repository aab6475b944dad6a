// The citizen cells of every dirty day rebuilt once at server start, in the background right after
// the server listens (docs/operations.md "Starting", docs/reporting.md "Citizen cells"): after a
// bulk load or migration 20261128-10 the first tally would otherwise pay for it (seconds on 500k
// records). Health checks answer meanwhile; a tally that comes first rebuilds its own period as
// always (on PostgreSQL it waits for the run in progress), so answers never depend on this.
import type { Store } from '../store/store.ts';

export interface CellRebuildLog {
  info(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export interface BackgroundRebuild {
  /** Settles when the rebuild ends, stopped or failed (failures are logged, never thrown). */
  done: Promise<void>;
  /** Stop after the transaction in progress and wait for it: call before closing the store. */
  stop(): Promise<void>;
}

export function rebuildCellsInBackground(store: Store, log: CellRebuildLog): BackgroundRebuild {
  const abort = new AbortController();
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  const done = store.rebuildCitizenCells({ signal: abort.signal }).then(
    (r) =>
      log.info(
        { days: r.days, transactions: r.transactions, ms: ms() },
        r.complete
          ? `citizen cells: ${r.days} dirty days rebuilt at start in ${ms()} ms`
          : `citizen cells: ${r.days} dirty days rebuilt at start in ${ms()} ms, then stopped ` +
              '(shutting down, or migrations of another process); tallies rebuild the rest',
      ),
    (err: unknown) =>
      log.error(
        { err, ms: ms() },
        'citizen cells: the rebuild at start failed; tallies rebuild the dirty days',
      ),
  );
  return {
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
