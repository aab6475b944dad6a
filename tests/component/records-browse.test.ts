// "Bản ghi của tôi" for a busy volunteer: day headings, a first page of 50 then "Xem thêm", search
// that ignores diacritics, filters by sync state and category, and follow-ups due or overdue.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS } from './support/fake-server.ts';
import { recordsContext, recordsState } from './support/records.ts';

const rowsIn = (c: HTMLElement) => c.querySelectorAll('li[data-record-id]');

describe('my records, browsing', () => {
  it('groups records under dd/mm/yyyy day headings, newest day first', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd([
      localRecord({ occurredOn: '2025-10-01' }),
      localRecord({ occurredOn: '2025-10-03' }),
      localRecord({ occurredOn: '2025-10-03' }),
    ]);
    render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    const headings = await screen.findAllByRole('heading', { level: 3 });
    expect(headings.map((h) => h.textContent)).toEqual(['03/10/2025', '01/10/2025']);
  });

  it('shows the first 50 records and 50 more on "Xem thêm"', async () => {
    const db = await loggedInDb();
    await db.records.bulkAdd(
      Array.from({ length: 120 }, (_, i) =>
        localRecord({ occurredOn: `2025-10-${String((i % 28) + 1).padStart(2, '0')}` }),
      ),
    );
    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    await waitFor(() => expect(rowsIn(container)).toHaveLength(50));
    await fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    await waitFor(() => expect(rowsIn(container)).toHaveLength(100));
  });

  it('finds records by hamlet typed without diacritics and filters by sync state and category', async () => {
    const db = await loggedInDb();
    const north = localRecord({ hamletId: 'h3', category: 'vneid_l1' });
    const refused = localRecord({
      hamletId: 'h1',
      category: 'can_cuoc',
      syncState: 'error',
      syncError: 'Sai',
    });
    const synced = localRecord({
      hamletId: 'h1',
      category: 'vneid_l1',
      syncState: 'synced',
      serverVersion: 1,
    });
    await db.records.bulkAdd([north, refused, synced]);
    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    await waitFor(() => expect(rowsIn(container)).toHaveLength(3));
    const ids = () => [...rowsIn(container)].map((li) => li.getAttribute('data-record-id'));

    await fireEvent.input(screen.getByLabelText('Tìm bản ghi'), { target: { value: 'ap bac' } });
    await waitFor(() => expect(ids()).toEqual([north.id]));
    await fireEvent.input(screen.getByLabelText('Tìm bản ghi'), { target: { value: '' } });

    await fireEvent.change(screen.getByLabelText('Trạng thái đồng bộ'), { target: { value: 'error' } });
    await waitFor(() => expect(ids()).toEqual([refused.id]));
    await fireEvent.change(screen.getByLabelText('Trạng thái đồng bộ'), { target: { value: '' } });

    await fireEvent.change(screen.getByLabelText('Loại hỗ trợ'), { target: { value: 'vneid_l1' } });
    await waitFor(() => expect(new Set(ids())).toEqual(new Set([north.id, synced.id])));
  });

  it('marks follow-ups "Đến hạn" on the day and "Quá hạn" after it', async () => {
    const db = await loggedInDb();
    const due = localRecord({ followUpOn: '2025-10-10', outcome: 'follow_up' });
    const late = localRecord({ followUpOn: '2025-10-05', outcome: 'follow_up' });
    const later = localRecord({ followUpOn: '2025-10-20', outcome: 'follow_up' });
    await db.records.bulkAdd([due, late, later]);
    const { container } = render(RecordsScreen, {
      props: { hamlets: HAMLETS },
      context: recordsContext(recordsState(db, { today: () => '2025-10-10' })),
    });
    await waitFor(() => expect(rowsIn(container)).toHaveLength(3));
    const row = (id: string) => container.querySelector(`li[data-record-id="${id}"]`)!;
    expect(row(due.id).textContent).toContain('Đến hạn');
    expect(row(late.id).textContent).toContain('Quá hạn');
    expect(row(later.id).textContent).not.toMatch(/Đến hạn|Quá hạn/);
  });
});
