// Follow-ups in the records place: each row shows the outcome and, for a follow-up, the date of the
// call back (marked due or overdue); "Cần gọi lại" shows only the follow-ups, due and overdue first
// (the longest overdue on top), then the coming ones by date, then those with no date.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LocalRecord } from '../../src/app/db/database.ts';
import { callbackSections, dueMark } from '../../src/app/state/record-list.ts';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS } from './support/fake-server.ts';
import { recordsContext, recordsState } from './support/records.ts';

const TODAY = '2025-10-10';
const ids = (c: ParentNode) =>
  [...c.querySelectorAll('li[data-record-id]')].map((li) => li.getAttribute('data-record-id'));

async function renderList(records: Parameters<typeof localRecord>[0][]) {
  const db = await loggedInDb();
  const rows = records.map((r) => localRecord(r));
  await db.records.bulkAdd(rows);
  const view = render(RecordsScreen, {
    props: { hamlets: HAMLETS },
    context: recordsContext(recordsState(db, { today: () => TODAY })),
  });
  await waitFor(() => expect(ids(view.container)).toHaveLength(rows.length));
  return { ...view, rows };
}

describe('list rows', () => {
  it('show every outcome, and a follow-up with its date marked due or overdue', async () => {
    const { container, rows } = await renderList([
      { occurredOn: '2025-10-09', outcome: 'done' },
      { occurredOn: '2025-10-08', outcome: 'follow_up', followUpOn: '2025-10-20' },
      { occurredOn: '2025-10-07', outcome: 'follow_up', followUpOn: '2025-10-10' },
      { occurredOn: '2025-10-06', outcome: 'follow_up', followUpOn: '2025-10-03' },
    ]);
    const row = (i: number) => container.querySelector<HTMLElement>(`li[data-record-id="${rows[i]!.id}"]`)!;

    expect(row(0).querySelector('[data-outcome]')!.textContent!.trim()).toBe('Hoàn thành');
    expect(row(0).querySelector('[data-testid="follow-up-on"]')).toBeNull();
    expect(row(1).querySelector('[data-outcome]')!.textContent!.trim()).toBe('Cần theo dõi tiếp');
    expect(row(1).querySelector('[data-testid="follow-up-on"]')!.textContent!.trim()).toBe(
      'Hẹn gọi lại: 20/10/2025',
    );
    expect(row(1).getAttribute('data-due')).toBeNull();
    expect(row(2).querySelector('[data-testid="follow-up-on"]')!.textContent).toMatch(
      /^\s*Đến hạn · Hẹn gọi lại: 10\/10\/2025\s*$/,
    );
    expect(row(2).getAttribute('data-due')).toBe('due');
    expect(row(3).querySelector('[data-testid="follow-up-on"]')!.textContent).toMatch(
      /^\s*Quá hạn · Hẹn gọi lại: 03\/10\/2025\s*$/,
    );
    expect(row(3).getAttribute('data-due')).toBe('overdue');
  });
});

describe('"Cần gọi lại"', () => {
  it('lists only follow-ups: due and overdue first (longest overdue on top), then the coming ones, then undated', async () => {
    const { container, rows } = await renderList([
      { occurredOn: '2025-10-09', outcome: 'done' },
      { occurredOn: '2025-10-09', outcome: 'follow_up', followUpOn: '2025-10-25' }, // 1 later
      { occurredOn: '2025-10-08', outcome: 'follow_up', followUpOn: '2025-10-10' }, // 2 due today
      { occurredOn: '2025-10-07', outcome: 'follow_up', followUpOn: '2025-10-12' }, // 3 later, sooner
      { occurredOn: '2025-10-01', outcome: 'follow_up', followUpOn: '2025-10-02' }, // 4 overdue most
      { occurredOn: '2025-10-05', outcome: 'follow_up', followUpOn: '2025-10-06' }, // 5 overdue
      { occurredOn: '2025-10-04', outcome: 'follow_up' }, // 6 undated
      { occurredOn: '2025-10-03', outcome: 'submitted', followUpOn: '2025-10-01' }, // not a follow-up now
    ]);
    const id = (i: number) => rows[i]!.id;

    await fireEvent.click(screen.getByRole('radio', { name: 'Cần gọi lại' }));
    await waitFor(() => expect(ids(container)).toEqual([id(4), id(5), id(2), id(3), id(1), id(6)]));
    const headings = [...container.querySelectorAll('h3')].map((h) => h.textContent!.trim());
    expect(headings).toEqual(['Đến hạn và quá hạn', 'Sắp tới', 'Chưa hẹn ngày']);
    const due = container.querySelector('h3[data-group="due"]')!.nextElementSibling as HTMLElement;
    expect(
      within(due)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-due')),
    ).toEqual(['overdue', 'overdue', 'due']);

    // Back to every record, newest day first.
    await fireEvent.click(screen.getByRole('radio', { name: 'Tất cả' }));
    await waitFor(() => expect(ids(container)).toHaveLength(8));
  });

  it('says so when nothing needs a call back', async () => {
    await renderList([{ outcome: 'done' }]);
    await fireEvent.click(screen.getByRole('radio', { name: 'Cần gọi lại' }));
    expect(await screen.findByText('Không có bản ghi nào cần gọi lại.')).toBeTruthy();
  });

  it('orders by the rule alone (pure)', () => {
    const r = (followUpOn: string | undefined, outcome: LocalRecord['outcome'] = 'follow_up') =>
      localRecord({ outcome, ...(followUpOn ? { followUpOn } : {}) });
    const [a, b, c, d] = [r('2025-10-11'), r('2025-10-10'), r('2025-10-09'), r(undefined)];
    const s = callbackSections([a, b, c, d, r('2025-10-01', 'done')], TODAY);
    expect(s.due).toEqual([c, b]);
    expect(s.later).toEqual([a]);
    expect(s.undated).toEqual([d]);
    expect([dueMark(c, TODAY), dueMark(b, TODAY), dueMark(a, TODAY), dueMark(d, TODAY)]).toEqual([
      'overdue',
      'due',
      '',
      '',
    ]);
  });
});
