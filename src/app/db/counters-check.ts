// The counters' self-check and rebuild from the records, and their key-range read (counters.ts keeps
// them on every write). Apart from counters.ts, which database.ts imports for its middleware.
import { Dexie } from 'dexie';
import { SEP, counterKeyOf, countersRewritten, type CounterKey, type CounterRow } from './counters.ts';
import type { SotayDB } from './database.ts';

/** Counters recounted from the records (own ones, on the [own+occurredOn] index). */
export async function recountCounters(db: SotayDB): Promise<CounterRow[]> {
  const counts = new Map<string, number>();
  await db.records
    .where('[own+occurredOn]')
    .between([1, Dexie.minKey], [1, Dexie.maxKey])
    .each((r) => {
      const key = counterKeyOf(r);
      if (key) counts.set(key.join(SEP), (counts.get(key.join(SEP)) ?? 0) + 1);
    });
  return [...counts].map(([k, n]) => {
    const [day, category, outcome] = k.split(SEP) as CounterKey;
    return { day, category, outcome, n };
  });
}

/** Throw away the counters and count them again from the records, in one transaction. */
export function rebuildCounters(db: SotayDB): Promise<void> {
  return db.transaction('rw', [db.records, db.counters], async () => {
    countersRewritten();
    const rows = await recountCounters(db);
    await db.counters.clear();
    await db.counters.bulkPut(rows);
  });
}

/**
 * Cheap self-check: the counters' totals by category and by outcome against index counts over
 * [own+category+occurredOn] / [own+outcome+occurredOn] (no record is read). On a mismatch the
 * counters are rebuilt from the records. Resolves true when they were consistent.
 */
export async function checkCounters(db: SotayDB): Promise<boolean> {
  const consistent = await db.transaction('r', [db.records, db.counters], async () => {
    const rows = await db.counters.toArray();
    const byCategory = new Map<string, number>();
    const byOutcome = new Map<string, number>();
    for (const r of rows) {
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + r.n);
      byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + r.n);
    }
    const total = rows.reduce((a, r) => a + r.n, 0);
    const own = await db.records
      .where('[own+occurredOn]')
      .between([1, Dexie.minKey], [1, Dexie.maxKey])
      .count();
    if (own !== total) return false;
    const checks = [
      ...[...byCategory].map(([code, n]) => ({ index: '[own+category+occurredOn]', code, n })),
      ...[...byOutcome].map(([code, n]) => ({ index: '[own+outcome+occurredOn]', code, n })),
    ];
    const counted = await Promise.all(
      checks.map((c) =>
        db.records.where(c.index).between([1, c.code, Dexie.minKey], [1, c.code, Dexie.maxKey]).count(),
      ),
    );
    return checks.every((c, i) => counted[i] === c.n);
  });
  if (!consistent) await rebuildCounters(db);
  return consistent;
}

/** Counter rows with day in [from, to] (inclusive), one key-range read. */
export function countersBetween(db: SotayDB, from: string, to: string): Promise<CounterRow[]> {
  return (
    db.counters
      .where('[day+category+outcome]')
      // [from] sorts before every [from, …] key and [to, maxKey] after every [to, …] key.
      .between([from], [to, Dexie.maxKey], true, true)
      .toArray()
  );
}

/** Run checkCounters once the page is idle (a few seconds after start), never during the first paint. */
export function scheduleCountersCheck(db: SotayDB, delayMs = 5_000): void {
  const run = () => void checkCounters(db).catch(() => undefined);
  setTimeout(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 10_000 });
    else run();
  }, delayMs);
}
