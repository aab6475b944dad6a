// The conflicts screen's state: load the list from the server (it needs the network), with a
// Vietnamese reason when that fails, and the local records' labels to name each one.
import type { SotayDB } from '../db/database.ts';
import { t } from '../i18n/index.ts';
import { tConflicts } from '../i18n/conflicts.ts';
import type { ApiClient } from '../sync/api.ts';
import { fetchConflicts, type Conflict } from '../sync/conflicts-api.ts';

export type ConflictsLoad =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; expired?: boolean }
  | { kind: 'ready'; conflicts: Conflict[] };

export class ConflictList {
  readonly #deps: { api: ApiClient; db: SotayDB; token: () => string | null };
  #state = $state<ConflictsLoad>({ kind: 'loading' });
  #records = $state<Record<string, { category: string; occurredOn: string }>>({});

  constructor(deps: { api: ApiClient; db: SotayDB; token: () => string | null }) {
    this.#deps = deps;
  }

  get current(): ConflictsLoad {
    return this.#state;
  }

  /** The local copy of a conflict's record, when this device has it. */
  record(id: string): { category: string; occurredOn: string } | undefined {
    return this.#records[id];
  }

  async load(): Promise<void> {
    const token = this.#deps.token();
    if (!token) {
      this.#state = { kind: 'error', message: t.status.expired, expired: true };
      return;
    }
    this.#state = { kind: 'loading' };
    const res = await fetchConflicts(this.#deps.api, token);
    if (!res.ok) {
      const f = res.failure;
      const message =
        f.kind === 'network'
          ? tConflicts.offline
          : f.kind === 'unauthorized'
            ? t.status.expired
            : f.status === 404
              ? tConflicts.unsupported
              : t.conflicts.failed;
      this.#state = { kind: 'error', message, expired: f.kind === 'unauthorized' };
      return;
    }
    const conflicts = [...res.value].sort((a, b) => b.version - a.version);
    try {
      const ids = conflicts.map((c) => c.recordId).filter((id, i, all) => all.indexOf(id) === i);
      const recs = await this.#deps.db.records.bulkGet(ids);
      this.#records = Object.fromEntries(recs.flatMap((r) => (r ? [[r.id, r] as const] : [])));
    } catch {
      // Only labels: the list still shows with record ids.
    }
    this.#state = { kind: 'ready', conflicts };
  }
}
