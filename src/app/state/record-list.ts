// The reads behind the records place (own list, a lead's team queue) and their pure rules: the
// filters' test, follow-ups due or overdue and the "Cần gọi lại" order, the review filter, and the
// next record to review. Loaded with the list and the editor, never in the first load.
import type { Observable } from 'dexie';
import { liveQuery } from 'dexie';
import {
  CATEGORIES,
  OUTCOMES,
  SERVICE_CATALOGUE,
  foldSearch,
  formatDayVi,
  localDay,
  type Hamlet,
} from '../../shared/index.ts';
import { PENDING_STATES, type LocalRecord } from '../db/database.ts';
import { recordsGeneration } from '../db/counters.ts';
import { myRecordsPage } from '../db/records-repo.ts';
import { guardStorage } from '../db/storage.ts';
import { recordMarks } from '../handoff/marks.ts';
import { label } from '../i18n/index.ts';
import { hasLocalContact } from '../db/vault-tables.ts';
import { cachedFirstPage, readFirstPage } from './first-page-cache.ts';
import type { ListFilters, RecordsScope, RecordsState, ReviewFilter } from './records.svelte.ts';

/** How many follow-ups the "Cần gọi lại" list sorts at most (it sorts by date, not by the index). */
const CALLBACK_MAX = 2000;

export type DueMark = 'overdue' | 'due' | '';

/** A follow-up's mark on `today`: overdue after its date, due on it; nothing otherwise. */
export function dueMark(r: Pick<LocalRecord, 'outcome' | 'followUpOn'>, today: string): DueMark {
  if (r.outcome !== 'follow_up' || !r.followUpOn) return '';
  if (r.followUpOn < today) return 'overdue';
  return r.followUpOn === today ? 'due' : '';
}

/** Still waiting for the lead: no review yet, or only marked received. */
export function isUnreviewed(r: Pick<LocalRecord, 'reviewState'>): boolean {
  return !r.reviewState || r.reviewState === 'received';
}

export function reviewMatches(r: Pick<LocalRecord, 'reviewState'>, filter: ReviewFilter): boolean {
  if (filter === '') return true;
  if (filter === 'unreviewed') return isUnreviewed(r);
  return r.reviewState === filter;
}

export interface CallbackSections {
  /** Due today or overdue, the longest overdue first. */
  due: LocalRecord[];
  /** Dated after today, soonest first. */
  later: LocalRecord[];
  /** A follow-up with no date set. */
  undated: LocalRecord[];
}

/** "Cần gọi lại": the follow-ups (outcome follow_up) split and ordered for calling back. */
export function callbackSections(rows: readonly LocalRecord[], today: string): CallbackSections {
  const out: CallbackSections = { due: [], later: [], undated: [] };
  for (const r of rows) {
    if (r.outcome !== 'follow_up' || r.deleted) continue;
    if (!r.followUpOn) out.undated.push(r);
    else if (r.followUpOn <= today) out.due.push(r);
    else out.later.push(r);
  }
  const byDate = (a: LocalRecord, b: LocalRecord) =>
    a.followUpOn! < b.followUpOn! ? -1 : a.followUpOn! > b.followUpOn! ? 1 : a.id < b.id ? -1 : 1;
  out.due.sort(byDate);
  out.later.sort(byDate);
  return out;
}

/** The list's order: newest day first, then newest id (ids are time-ordered UUIDv7). */
function newerFirst(a: LocalRecord, b: LocalRecord): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class RecordList {
  readonly #records: RecordsState;
  readonly scope: RecordsScope;
  #hamlets: () => readonly Hamlet[];
  readonly #serviceName: Readonly<Record<string, string>> = Object.fromEntries(
    SERVICE_CATALOGUE.services.map((s) => [s.code, s.name]),
  );

  constructor(records: RecordsState, scope: RecordsScope, hamlets: () => readonly Hamlet[]) {
    this.#records = records;
    this.scope = scope;
    this.#hamlets = hamlets;
  }

  get filters(): ListFilters {
    return this.#records.filters(this.scope);
  }
  /** The database's name, for the change events a kept screen listens to. */
  get dbName(): string {
    return this.#records.db.name;
  }
  today(): string {
    return this.#records.today?.() ?? localDay();
  }
  memberName(r: LocalRecord): string | undefined {
    return this.#records.memberName(r);
  }

  /** The filters differ from the list's opening ones (the empty message says "no match"). */
  get filtering(): boolean {
    const f = this.filters;
    const opening = this.scope === 'team' ? 'unreviewed' : '';
    return f.query.trim() !== '' || f.syncState !== '' || f.category !== '' || f.review !== opening;
  }

  /** A key naming what a read of `n` rows answers (the kept read's cache key). */
  key(n: number): string {
    const f = this.filters;
    return [this.scope, n, f.view, f.query, f.syncState, f.category, f.review].join('|');
  }

  /** The filters as one test, or undefined when nothing filters (the index alone answers). */
  test(filters: ListFilters = this.filters): ((r: LocalRecord) => boolean) | undefined {
    const words = foldSearch(filters.query).split(' ').filter(Boolean);
    const { syncState: state, category, review, view } = filters;
    if (words.length === 0 && !state && !category && !review && view !== 'callback') return undefined;
    const hamletName: Readonly<Record<string, string>> = Object.fromEntries(
      this.#hamlets().map((h) => [h.id, h.name]),
    );
    return (r) => {
      if (view === 'callback' && r.outcome !== 'follow_up') return false;
      if (category && r.category !== category) return false;
      if (state === 'pending' && !PENDING_STATES.includes(r.syncState)) return false;
      if (state && state !== 'pending' && r.syncState !== state) return false;
      if (!reviewMatches(r, review)) return false;
      if (words.length === 0) return true;
      const hay = foldSearch(
        [
          label(CATEGORIES, r.category),
          label(OUTCOMES, r.outcome),
          hamletName[r.hamletId] ?? '',
          r.serviceCode ? (this.#serviceName[r.serviceCode] ?? '') : '',
          r.note ?? '',
          formatDayVi(r.occurredOn),
          this.scope === 'team' ? (this.memberName(r) ?? '') : '',
        ].join(' '),
      );
      return words.every((w) => hay.includes(w));
    };
  }

  /** Rows newest first (or, for "Cần gọi lại", in calling order), at most `n`. */
  async read(n: number, first: number): Promise<LocalRecord[]> {
    const test = this.test();
    const db = this.#records.db;
    if (this.filters.view === 'callback') {
      const all = await this.#readOrdered(CALLBACK_MAX, test);
      const s = callbackSections(all, this.today());
      return [...s.due, ...s.later, ...s.undated].slice(0, n);
    }
    if (this.scope === 'mine' && !test && n === first) return readFirstPage(db, n);
    return this.#readOrdered(n, test);
  }

  #readOrdered(n: number, test: ((r: LocalRecord) => boolean) | undefined): Promise<LocalRecord[]> {
    const db = this.#records.db;
    if (this.scope === 'team')
      return db.records
        .orderBy('occurredOn')
        .reverse()
        .filter((r) => !r.deleted && (!test || test(r)))
        .limit(n)
        .toArray();
    return myRecordsPage(db, { limit: n, test });
  }

  /** The own list's first screenful as last read, when nothing was written since. */
  cachedFirst(first: number): LocalRecord[] | undefined {
    if (this.scope !== 'mine' || this.test()) return undefined;
    return cachedFirstPage(this.#records.db, first);
  }

  /** Hand-off marks of unsent records (docs/handoff.md): handed over, or received by the lead. */
  marks(): Observable<Map<string, 'handed_over' | 'delivered'>> {
    const db = this.#records.db;
    return liveQuery(() => recordMarks(db));
  }
}

/** This page's count of record writes (the kept read's exactness check). */
export { recordsGeneration };

/**
 * The next record a lead reviews after `current`: the next one in the team list's order that is
 * still unreviewed and passes the list's other filters (search, category, sync state); from the
 * top of the list when none comes after it. Undefined when none waits.
 */
export async function nextToReview(
  records: RecordsState,
  current: LocalRecord,
  hamlets: () => readonly Hamlet[],
): Promise<LocalRecord | undefined> {
  const list = new RecordList(records, 'team', hamlets);
  const test = list.test({ ...list.filters, view: 'all', review: 'unreviewed' })!;
  const waiting = await records.db.records
    .orderBy('occurredOn')
    .reverse()
    .filter((r) => !r.deleted && r.id !== current.id && test(r))
    .toArray();
  waiting.sort(newerFirst);
  return waiting.find((r) => newerFirst(current, r) < 0) ?? waiting[0];
}

/** Whether this phone keeps its own sealed copy of the record's contact (the PIN view). */
export function hasOwnContact(records: RecordsState, recordId: string): Promise<boolean> {
  return hasLocalContact(records.db, recordId);
}

/** Store the review the server answered on the local record: not an edit, no outbox row. */
export function storeReview(
  records: RecordsState,
  recordId: string,
  next: Pick<LocalRecord, 'reviewState' | 'reviewComment'>,
): Promise<unknown> {
  return guardStorage(() => records.db.records.update(recordId, next));
}
