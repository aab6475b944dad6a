// "Bản ghi của tôi": one row per record with the sync-state badge, newest first; the first paint
// reads and renders only a screenful from the index, the rest of the page follows after it.
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { freshDb, localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS, USER } from './support/fake-server.ts';
import { recordsContext } from './support/records.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('records list', () => {
  it('paints a first screenful read from the index, then fills the page of 50 after the paint', async () => {
    const db = await loggedInDb();
    const all = Array.from({ length: 300 }, (_, i) =>
      localRecord({ occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}` }),
    );
    await db.records.bulkAdd(all);
    const newestFirst = [...all].sort((a, b) =>
      a.occurredOn === b.occurredOn ? (a.id < b.id ? 1 : -1) : a.occurredOn < b.occurredOn ? 1 : -1,
    );
    const read = { n: 0 };
    db.records.hook('reading', (r) => {
      read.n++;
      return r;
    });
    // Hold the frame after the first paint, to look at the screen before the page fills up.
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);

    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    const ids = () =>
      [...container.querySelectorAll('li[data-record-id]')].map((li) => li.getAttribute('data-record-id'));
    await waitFor(() => expect(ids().length).toBeGreaterThan(0));
    const first = ids();
    expect(first.length).toBeGreaterThanOrEqual(8); // a 360×640 screen shows about eight
    expect(first.length).toBeLessThan(20);
    expect(first).toEqual(newestFirst.slice(0, first.length).map((r) => r.id));
    expect(read.n).toBe(first.length);
    expect(screen.queryByRole('button', { name: 'Xem thêm' })).toBeNull();
    const firstElements = [...container.querySelectorAll('li[data-record-id]')];

    for (const f of frames.splice(0)) f(performance.now());
    await waitFor(() => expect(ids()).toHaveLength(50));
    expect(ids()).toEqual(newestFirst.slice(0, 50).map((r) => r.id));
    // The rows painted first are the same elements (keyed), not rendered again.
    expect(firstElements.every((li) => li.isConnected)).toBe(true);
    expect(screen.getByRole('button', { name: 'Xem thêm' })).toBeTruthy();
  });

  it('opened again with no record written since, paints the first screenful at once; after a write, never stale rows', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd(
      Array.from({ length: 30 }, (_, i) =>
        localRecord({ occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}` }),
      ),
    );
    const props = { hamlets: HAMLETS };
    const context = recordsContext(db);
    const ids = (c: HTMLElement) =>
      [...c.querySelectorAll('li[data-record-id]')].map((li) => li.getAttribute('data-record-id'));
    // Hold the page's growth to 50, so each mount shows its first screenful.
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);

    const first = render(RecordsScreen, { props, context });
    await waitFor(() => expect(ids(first.container).length).toBeGreaterThan(0));
    const painted = ids(first.container);
    first.unmount();

    // Same tick as the mount: no database round trip before the rows.
    const again = render(RecordsScreen, { props, context });
    expect(ids(again.container)).toEqual(painted);
    again.unmount();

    // A record written since (even a state change): the old rows are not shown, fresh ones are.
    await db.records.update(painted[0]!, { syncState: 'synced', serverVersion: 1 });
    const after = render(RecordsScreen, { props, context });
    expect(ids(after.container)).toEqual([]);
    await waitFor(() =>
      expect(
        after.container.querySelector(`li[data-record-id="${painted[0]}"]`)?.getAttribute('data-sync-state'),
      ).toBe('synced'),
    );
  });

  it('shows each record with its sync-state badge from the data in Dexie', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd([
      localRecord({ occurredOn: '2025-10-01', syncState: 'to_post' }),
      localRecord({ occurredOn: '2025-10-02', syncState: 'to_update', serverVersion: 3 }),
      localRecord({ occurredOn: '2025-10-03', syncState: 'uploading' }),
      localRecord({ occurredOn: '2025-10-04', syncState: 'synced', serverVersion: 4, volunteerId: USER.id }),
      localRecord({
        occurredOn: '2025-10-05',
        syncState: 'error',
        syncError: 'Thôn/ấp không thuộc xã của bạn.',
      }),
      // A teammate's record pulled for context is not "mine".
      localRecord({
        occurredOn: '2025-10-06',
        syncState: 'synced',
        serverVersion: 5,
        volunteerId: 'someone-else',
      }),
    ]);

    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });

    await waitFor(() => expect(container.querySelectorAll('li[data-sync-state]')).toHaveLength(5));
    const items = [...container.querySelectorAll('li[data-sync-state]')];
    expect(items.map((li) => li.getAttribute('data-sync-state'))).toEqual([
      'error',
      'synced',
      'uploading',
      'to_update',
      'to_post',
    ]);
    expect(items.map((li) => li.querySelector('.badge')!.textContent!.trim())).toEqual([
      'Máy chủ không nhận: Thôn/ấp không thuộc xã của bạn.',
      'Đã gửi',
      'Đang gửi',
      'Chờ gửi bản sửa',
      'Chờ gửi',
    ]);
    expect(items[0]!.textContent).toContain('05/10/2025');
    expect(items[0]!.textContent).toContain('Kích hoạt VNeID mức 1');
    expect(items[0]!.textContent).toContain('Thôn Đông');
  });

  it('updates a badge when the record changes in the database', async () => {
    const db = freshDb();
    const r = localRecord();
    await db.records.add(r);
    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    // The badge itself: the sync-state filter offers the same words.
    const badge = () => container.querySelector('li[data-sync-state] .badge')?.textContent;
    await waitFor(() => expect(badge()).toBe('Chờ gửi'));

    await db.records.update(r.id, { syncState: 'synced', serverVersion: 1 });

    await waitFor(() => expect(badge()).toBe('Đã gửi'));
    expect(container.querySelectorAll('li[data-sync-state="synced"]')).toHaveLength(1);
  });
});
