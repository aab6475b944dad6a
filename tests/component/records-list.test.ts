// "Bản ghi của tôi": one row per record with the sync-state badge, newest first.
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { freshDb, localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS, USER } from './support/fake-server.ts';

describe('records list', () => {
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

    const { container } = render(RecordsScreen, { props: { db, userId: USER.id, hamlets: HAMLETS } });

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
      'Lỗi: Thôn/ấp không thuộc xã của bạn.',
      'Đã đồng bộ',
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
    const { container } = render(RecordsScreen, { props: { db, userId: USER.id, hamlets: HAMLETS } });
    await screen.findByText('Chờ gửi');

    await db.records.update(r.id, { syncState: 'synced', serverVersion: 1 });

    await screen.findByText('Đã đồng bộ');
    expect(container.querySelectorAll('li[data-sync-state="synced"]')).toHaveLength(1);
  });
});
