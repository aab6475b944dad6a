// The records place's state, one per source the shell provides (recordsSlot, records-slot.ts):
// each list's filters (kept while the editor or another place is shown, so coming back finds the
// list as it was), who the signed-in user is, and the names of a lead's team members kept from
// login. The reads, the follow-up order and the review flow live in record-list.ts and
// review.svelte.ts, which take this state. Loaded with the records screens, not in the first load.
import type { SessionUser } from '../../shared/index.ts';
import type { LocalRecord, SotayDB } from '../db/database.ts';
import { recordsSlot, type RecordsSource } from './records-slot.ts';

export type RecordsScope = 'mine' | 'team';
/** 'all': every record by day; 'callback': the follow-ups to call back, due and overdue first. */
export type RecordsView = 'all' | 'callback';
/** A review filter: 'unreviewed' (no review yet, or only "received"), a review state, or '' for all. */
export type ReviewFilter = '' | 'unreviewed' | 'received' | 'has_issues' | 'approved' | 'rejected';

/** What a list shows; a plain reactive object owned by RecordsState. */
export interface ListFilters {
  view: RecordsView;
  query: string;
  /** '' (all), 'pending', 'synced' or 'error'. */
  syncState: string;
  category: string;
  review: ReviewFilter;
}

export function blankFilters(scope: RecordsScope): ListFilters {
  // The lead's queue opens on what still waits for them.
  return {
    view: 'all',
    query: '',
    syncState: '',
    category: '',
    review: scope === 'team' ? 'unreviewed' : '',
  };
}

export type { RecordsSource };

// The state built on each source, kept beside it so the slot module never names this class.
const built = new WeakMap<RecordsSource, RecordsState>();

export class RecordsState {
  readonly #deps: RecordsSource;
  readonly #filters = $state<Record<RecordsScope, ListFilters>>({
    mine: blankFilters('mine'),
    team: blankFilters('team'),
  });

  /** Built once per source (useRecords), which then keeps it. */
  constructor(source: RecordsSource) {
    this.#deps = source;
    this.userId = source.session()?.user.id;
    built.set(source, this);
  }

  /** Whose filters these are: another account signed in on this phone starts from fresh ones. */
  readonly userId: string | undefined;

  /** What the shell provided; `recordsSlot.entry(state.source)` hands this state to a screen. */
  get source(): RecordsSource {
    return this.#deps;
  }

  /** The device database, for the state modules built on this one (lists, editor, review). */
  get db(): SotayDB {
    return this.#deps.db;
  }
  get fetch(): typeof fetch | undefined {
    return this.#deps.fetch;
  }
  get today(): (() => string) | undefined {
    return this.#deps.today;
  }
  isOnline(): boolean {
    if (this.#deps.isOnline) return this.#deps.isOnline();
    return typeof navigator === 'undefined' ? true : navigator.onLine;
  }
  get user(): SessionUser | null {
    return this.#deps.session()?.user ?? null;
  }
  get token(): string | null {
    return this.#deps.session()?.token ?? null;
  }

  /** The filters of one list (reactive: the screen binds to them). */
  filters(scope: RecordsScope): ListFilters {
    return this.#filters[scope];
  }

  /** Back to the list's opening filters (another place chosen), or to one sync state. */
  resetFilters(scope: RecordsScope, syncState = ''): void {
    this.#filters[scope] = { ...blankFilters(scope), syncState };
  }

  /**
   * Who logged a record, by name: the signed-in user for their own (or not yet synced) records,
   * else the team member kept from a lead's login; undefined when this phone does not know them.
   */
  memberName(record: Pick<LocalRecord, 'volunteerId'>): string | undefined {
    const s = this.#deps.session();
    if (!s) return undefined;
    const id = record.volunteerId;
    if (id === undefined || id === null || id === s.user.id) return s.user.displayName;
    return s.team?.find((m) => m.id === id)?.name;
  }
}

/** The records state of the source provided above this component, built the first time. */
export function useRecords(): RecordsState {
  const source = recordsSlot.get();
  const kept = built.get(source);
  return kept && kept.userId === source.session()?.user.id ? kept : new RecordsState(source);
}
