// Maintained per-day counters of the user's own live records (Dexie v3 table `counters`): one row
// per day × category × outcome with its count, so the tallies screen reads a few dozen small rows
// instead of counting indexes or records.
//
// They are kept by a DBCore middleware: every write to `records` (add, put, update, modify,
// delete, clear — by the capture form, edits, deletes, undo, pulls, conflict resolution, wipes)
// reads the rows it replaces, and adjusts the counters in the SAME IndexedDB transaction (the
// middleware adds `counters` to every read-write transaction over `records`). "Own" is the `own`
// flag the write hooks set (database.ts), so counters always equal a recount over [own+occurredOn].
import {
  Dexie,
  type DBCore,
  type DBCoreMutateRequest,
  type DBCoreMutateResponse,
  type DBCoreTable,
  type DBCoreTransaction,
  type Middleware,
} from 'dexie';

export const COUNTERS = 'counters';

/** Own, live records of one day with one category and outcome. */
export interface CounterRow {
  day: string;
  category: string;
  outcome: string;
  n: number;
}
export type CounterKey = [day: string, category: string, outcome: string];

/** The fields of a stored record its counter is keyed on. */
export interface CountedRecord {
  own?: number;
  occurredOn?: unknown;
  category?: unknown;
  outcome?: unknown;
}

/** The counter a stored record adds to: only own (flagged), complete records count. */
export function counterKeyOf(r: CountedRecord | undefined): CounterKey | undefined {
  if (!r || r.own !== 1) return undefined;
  const { occurredOn, category, outcome } = r;
  if (typeof occurredOn !== 'string' || typeof category !== 'string' || typeof outcome !== 'string') {
    return undefined;
  }
  return [occurredOn, category, outcome];
}

export const SEP = '\u0000';

/**
 * Bumped whenever this page writes (or clears) counters, before the write lands: a result read
 * while it kept its value is still exact (see state/tallies.ts). Another tab's writes are not
 * seen here; the live query catches those.
 */
let generation = 0;
export function countersGeneration(): number {
  return generation;
}
/** Called before a rebuild replaces the counters (counters-check.ts). */
export function countersRewritten(): void {
  generation++;
}
/** The same for any write to `records` on this page (the records list's first-page cache). */
let recordsWrites = 0;
export function recordsGeneration(): number {
  return recordsWrites;
}
type Deltas = Map<string, number>;

function bump(deltas: Deltas, r: unknown, by: 1 | -1): void {
  const key = counterKeyOf(r as CountedRecord | undefined);
  if (!key) return;
  const k = key.join(SEP);
  deltas.set(k, (deltas.get(k) ?? 0) + by);
}

/** Add the deltas to the stored counters; rows that reach 0 are removed. */
async function applyDeltas(table: DBCoreTable, trans: DBCoreTransaction, deltas: Deltas): Promise<void> {
  const changed = [...deltas].filter(([, d]) => d !== 0);
  if (changed.length === 0) return;
  generation++;
  const keys = changed.map(([k]) => k.split(SEP) as CounterKey);
  const current = (await table.getMany({ trans, keys })) as (CounterRow | undefined)[];
  const puts: CounterRow[] = [];
  const dels: CounterKey[] = [];
  changed.forEach(([, d], i) => {
    const [day, category, outcome] = keys[i]!;
    const n = (current[i]?.n ?? 0) + d;
    if (n > 0) puts.push({ day, category, outcome, n });
    else if (current[i]) dels.push(keys[i]!);
  });
  if (puts.length > 0) await table.mutate({ type: 'put', trans, values: puts });
  if (dels.length > 0) await table.mutate({ type: 'delete', trans, keys: dels });
}

function isUpgrade(trans: DBCoreTransaction): boolean {
  return (trans as unknown as { mode?: string }).mode === 'versionchange';
}

function isReadWrite(trans: DBCoreTransaction): boolean {
  return (trans as unknown as { mode?: string }).mode === 'readwrite';
}

/** Sorted keys are read in runs of this many, each with one key-range read. */
const RUN = 100;
/** A run's range read stops after this many rows per wanted key (others lie between them). */
const SPREAD = 4;
/** Fewer keys than this are read one by one, as Dexie does. */
const FEW = 16;

/**
 * The rows of `keys` (undefined where none), as `getMany` answers. IndexedDB answers each `get`
 * with an event of its own, which a slow phone's main thread pays for once per key; records made
 * on one phone have time-ordered ids (UUIDv7) that lie close together, so sorted runs of keys are
 * read with one `getAll` over their key range each, bounded so that rows between them cost little.
 * Keys a bounded read did not reach are read one by one.
 */
function readMany(table: DBCoreTable, trans: DBCoreTransaction, keys: unknown[]): Promise<unknown[]> {
  if (keys.length < FEW || !keys.every((k) => typeof k === 'string')) return table.getMany({ trans, keys });
  const pk = table.schema.primaryKey;
  // JavaScript's default sort orders strings by UTF-16 code units, as IndexedDB does.
  const sorted = [...new Set(keys as string[])].sort();
  const found = new Map<string, unknown>();
  const missed: string[] = [];
  const runs: string[][] = [];
  for (let i = 0; i < sorted.length; i += RUN) runs.push(sorted.slice(i, i + RUN));
  // Dexie's promises, not async functions: the layers below find the transaction in Dexie's zone,
  // which a native await would lose.
  return Dexie.Promise.all(
    runs.map((run) => {
      const limit = run.length * SPREAD;
      const range = { type: 2 /* DBCoreRangeType.Range */, lower: run[0], upper: run[run.length - 1] };
      return table.query({ trans, values: true, limit, query: { index: pk, range } }).then(({ result }) => {
        for (const v of result) found.set(pk.extractKey!(v) as string, v);
        if (result.length < limit) return;
        // Cut short: keys after the last row read were not reached.
        const last = pk.extractKey!(result[result.length - 1]) as string;
        for (const k of run) if (k > last) missed.push(k);
      });
    }),
  )
    .then(() => (missed.length > 0 ? table.getMany({ trans, keys: missed }) : []))
    .then((rest) => {
      missed.forEach((k, i) => found.set(k, rest[i]));
      return keys.map((k) => found.get(k as string));
    });
}

/** The last `cache`d getMany of a write transaction, answered again as Dexie's own cache would. */
interface ManyMemo {
  keys: unknown[];
  values: unknown[];
}

/** The memo's values for `keys` (the memo's keys in order, possibly fewer), or null. */
function fromMemo(memo: ManyMemo | undefined, keys: unknown[], clone: boolean): unknown[] | null {
  if (!memo || memo.keys.length < keys.length) return null;
  const out: unknown[] = [];
  for (let i = 0, j = 0; i < memo.keys.length && j < keys.length; i++) {
    if (memo.keys[i] !== keys[j]) continue;
    out.push(clone ? Dexie.deepClone(memo.values[i]) : memo.values[i]);
    j++;
  }
  return out.length === keys.length ? out : null;
}

/**
 * Below Dexie's hooks (level 2: values already carry the `own` flag), above observability and the
 * cache (level 0: counter writes wake the tallies' live query like any write).
 */
export const countersMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'OwnCounters',
  level: 1.5,
  create(down: DBCore): Partial<DBCore> {
    // Opened at a version without the table (an upgrade step before v3): nothing to keep.
    if (!down.schema.tables.some((t) => t.name === COUNTERS)) return {};
    return {
      transaction(stores, mode, options) {
        const all =
          mode === 'readwrite' && stores.includes('records') && !stores.includes(COUNTERS)
            ? [...stores, COUNTERS]
            : stores;
        return down.transaction(all, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (name !== 'records') return table;
        const counters = down.table(COUNTERS);
        const pk = table.schema.primaryKey;
        // Reads below this level go by key range (readMany), which Dexie's transaction cache (level
        // -1) does not keep: this memo keeps the last one instead, until the next write.
        const memos = new WeakMap<DBCoreTransaction, ManyMemo>();
        const getMany: DBCoreTable['getMany'] = (req) => {
          if (!isReadWrite(req.trans)) return table.getMany(req);
          const cached = req.cache ? fromMemo(memos.get(req.trans), req.keys, req.cache === 'clone') : null;
          if (cached) return Dexie.Promise.resolve(cached);
          return readMany(table, req.trans, req.keys).then((values) => {
            if (req.cache) {
              const kept = req.cache === 'clone' ? Dexie.deepClone(values) : values;
              memos.set(req.trans, { keys: req.keys, values: kept });
            }
            return values;
          });
        };
        return {
          ...table,
          getMany,
          async mutate(req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
            const { trans } = req;
            recordsWrites++;
            // Inside an upgrade the v3 step builds the counters from the records once every earlier
            // step (such as v2 setting the `own` flags) has run: nothing to keep row by row.
            if (isUpgrade(trans)) return table.mutate(req);
            const deltas: Deltas = new Map();
            if (req.type === 'deleteRange') {
              memos.delete(trans);
              if (req.range.type === 3 /* DBCoreRangeType.Any: clear() */) {
                const res = await table.mutate(req);
                generation++;
                await counters.mutate({ type: 'deleteRange', trans, range: req.range });
                return res;
              }
              const old = await table.query({ trans, values: true, query: { index: pk, range: req.range } });
              for (const r of old.result) bump(deltas, r, -1);
              const res = await table.mutate(req);
              await applyDeltas(counters, trans, deltas);
              return res;
            }
            const keys =
              req.type === 'delete' ? req.keys : (req.keys ?? req.values.map((v) => pk.extractKey!(v)));
            // An add never replaces a row (it fails instead), so there is nothing old to read.
            // `immutable`: Dexie's hooks read these same rows just before (the `updating` hook), and
            // the memo answers the second read without going to IndexedDB again.
            const old = req.type === 'add' ? [] : await getMany({ trans, keys, cache: 'immutable' });
            memos.delete(trans);
            const res = await table.mutate(req);
            keys.forEach((_k, i) => {
              if (res.failures[i]) return;
              bump(deltas, old[i], -1);
              if (req.type !== 'delete') bump(deltas, req.values[i], 1);
            });
            await applyDeltas(counters, trans, deltas);
            return res;
          },
        };
      },
    };
  },
};
