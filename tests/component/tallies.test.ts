// "Thống kê": own counts for today, this week and this month by category and outcome, read from
// indexes; teammates' pulled records and deleted records do not count; a save shows up live.
import { render, screen, waitFor } from '@testing-library/svelte';
import { RangeSet } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteRecord, saveNewRecord, tallyOwn } from '../../src/app/db/records-repo.ts';
import type { SotayDB } from '../../src/app/db/database.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { talliesSlot, type TalliesSource } from '../../src/app/state/tallies-slot.ts';
import TalliesScreen from '../../src/app/ui/tallies/TalliesScreen.svelte';
import { localRecord, loggedInDb, wireRecord } from './support/db.ts';
import { watchKeptReads } from './support/kept-reads.ts';
import { USER } from './support/fake-server.ts';

// Wednesday 15 October 2025: the week is 13–19 October, the month 1–31 October.
const NOW = new Date(2025, 9, 15, 10, 0);

/** The screen with its source handed in as the shell does; pass one source to share its held answer. */
function renderTallies(props: { now: Date; active?: boolean }, state: TalliesSource) {
  return render(TalliesScreen, { props, context: contextOf(talliesSlot.entry(state)) });
}
const stateOf = (db: SotayDB): TalliesSource => ({ db });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('own tallies', () => {
  it('counts own records by period, category and outcome, without teammates or deleted ones', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd([
      localRecord({ occurredOn: '2025-10-15', category: 'vneid_l2', outcome: 'done' }),
      localRecord({ occurredOn: '2025-10-15', category: 'vneid_l2', outcome: 'failed', failReason: 'other' }),
      localRecord({
        occurredOn: '2025-10-13',
        category: 'online_filing',
        outcome: 'submitted',
        volunteerId: USER.id,
      }),
      localRecord({ occurredOn: '2025-10-02', category: 'can_cuoc', outcome: 'done' }),
      localRecord({ occurredOn: '2025-09-30', category: 'can_cuoc', outcome: 'done' }),
      localRecord({
        occurredOn: '2025-10-15',
        category: 'vneid_l2',
        outcome: 'done',
        volunteerId: 'someone-else',
      }),
      localRecord({ occurredOn: '2025-10-15', category: 'vneid_l2', outcome: 'done', deleted: true }),
    ]);
    const { container } = renderTallies({ now: NOW }, stateOf(db));

    await waitFor(() => expect(container.querySelector('[data-period="today"]')?.textContent).toBe('2'));
    expect(container.querySelector('[data-period="week"]')!.textContent).toBe('3');
    expect(container.querySelector('[data-period="month"]')!.textContent).toBe('4');
    const cells = (table: string, code: string) =>
      [...container.querySelectorAll(`[data-testid="tally-${table}"] tr[data-code="${code}"] td`)].map(
        (td) => td.textContent,
      );
    expect(cells('category', 'vneid_l2')).toEqual(['2', '2', '2']);
    expect(cells('category', 'can_cuoc')).toEqual(['0', '0', '1']);
    expect(cells('outcome', 'done')).toEqual(['1', '1', '2']);
    expect(screen.getByRole('table', { name: 'Theo loại hỗ trợ' })).toBeTruthy();
  });

  it('updates the counts live when a record is saved and when it is deleted', async () => {
    const db = await loggedInDb();
    const { container } = renderTallies({ now: NOW }, stateOf(db));
    const today = () => container.querySelector('[data-period="today"]')?.textContent;
    await waitFor(() => expect(today()).toBe('0'));
    const record = wireRecord({ occurredOn: '2025-10-15' });
    await saveNewRecord(db, record);
    await waitFor(() => expect(today()).toBe('1'));
    await deleteRecord(db, record.id);
    await waitFor(() => expect(today()).toBe('0'));
  });

  it('opened again with nothing changed, paints the last numbers at once; after a save, never stale ones', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    const today = (c: HTMLElement) => c.querySelector('[data-period="today"]')?.textContent;
    // One source, as the shell provides one for the whole session: its state keeps the last answer.
    const state = stateOf(db);
    const first = renderTallies({ now: NOW }, state);
    await waitFor(() => expect(today(first.container)).toBe('1'));
    first.unmount();

    // Same tick as the mount: no database round trip before the numbers.
    const again = renderTallies({ now: NOW }, state);
    expect(today(again.container)).toBe('1');
    again.unmount();

    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    const after = renderTallies({ now: NOW }, state);
    expect(today(after.container)).toBeUndefined();
    expect(after.getByText('Đang đếm…')).toBeTruthy();
    await waitFor(() => expect(today(after.container)).toBe('2'));
  });

  it('shown again with nothing changed reads nothing; a counter change while shown is read, from this page or another tab', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    const { container, rerender } = renderTallies({ now: NOW, active: true }, stateOf(db));
    const today = () => container.querySelector('[data-period="today"]')?.textContent;
    const busy = () => container.querySelector('section')!.getAttribute('aria-busy');
    await waitFor(() => expect(today()).toBe('1'));
    const reads: unknown[] = [];
    db.counters.hook('reading', (row) => {
      reads.push(row);
      return row;
    });
    // Each show is answered when the rerender is flushed; only a live query it starts could read.
    const kept = watchKeptReads();

    await rerender({ active: false });
    await rerender({ active: true });
    expect(today()).toBe('1');
    expect(busy()).toBe('false');
    expect([...new Set(kept.shows())]).toEqual(['none']);
    expect(reads).toEqual([]);

    // A save on this page while the tallies are shown (a sync pull writes the same way).
    await saveNewRecord(db, wireRecord({ occurredOn: '2025-10-15' }));
    await waitFor(() => expect(today()).toBe('2'));
    expect(kept.shows()).toContain('live query');

    // Hidden and shown again: nothing read; then another tab writes a counter. It reaches this page
    // as Dexie's cross-tab message only (this page's write counter did not move).
    kept.clear();
    await rerender({ active: false });
    await rerender({ active: true });
    expect([...new Set(kept.shows())]).toEqual(['none']);
    const before = reads.length;
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(db.name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const key = ['2025-10-15', 'vneid_l2', 'done'];
    await new Promise((resolve, reject) => {
      const tx = raw.transaction('counters', 'readwrite');
      const store = tx.objectStore('counters');
      const get = store.get(key);
      get.onsuccess = () =>
        store.put({ day: key[0], category: key[1], outcome: key[2], n: (get.result?.n ?? 0) + 5 });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
    expect(today()).toBe('2');
    const otherTab = new BroadcastChannel('x-storagemutated-1');
    otherTab.postMessage({ [`idb://${db.name}/counters/`]: new RangeSet(key) });
    otherTab.close();
    await waitFor(() => expect(today()).toBe('7'));
    expect(reads.length).toBeGreaterThan(before);
  });

  it('tallies 20 000 records without reading them (maintained counters only)', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd(
      Array.from({ length: 20_000 }, (_, i) =>
        localRecord({ occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}` }),
      ),
    );
    const read = { n: 0 };
    db.records.hook('reading', (r) => {
      read.n++;
      return r;
    });
    const month = await tallyOwn(db, '2025-10-01', '2025-10-31');
    expect(month.total).toBe(20_000);
    expect(read.n).toBe(0);
  });
});
