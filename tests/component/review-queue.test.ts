// The lead's review queue ("Bản ghi của tổ"): every row and the editor name the volunteer who logged
// the record (names kept from the lead's login), the review filter opens on "Chưa duyệt", the review
// choices are four compact radios, and after a review the next unreviewed record of the queue's
// filter is one tap away.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/app/App.svelte';
import type { LocalRecord, SotayDB } from '../../src/app/db/database.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import { createServices, loadServices } from '../../src/app/services.ts';
import EditScreen from '../../src/app/ui/records/EditScreen.svelte';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { freshDb, localRecord, loggedInDb } from './support/db.ts';
import { HAMLETS, loginResponse } from './support/fake-server.ts';
import { LEAD, recordsContext, recordsState } from './support/records.ts';

const TEAM = [
  { id: LEAD.id, name: LEAD.displayName },
  { id: 'u-an', name: 'Trần Văn An' },
  { id: 'u-binh', name: 'Phạm Thị Bình' },
];

afterEach(() => {
  vi.unstubAllGlobals();
});

function teamRecord(over: Partial<LocalRecord> = {}): LocalRecord {
  return localRecord({
    syncState: 'synced',
    serverVersion: 3,
    volunteerId: 'u-an',
    teamId: 't1',
    communeCode: '00001',
    paidOnline: false,
    ...over,
  });
}

/** A review endpoint that accepts every review, and the ids it was asked about. */
function reviewServer() {
  const asked: string[] = [];
  const fn = vi.fn<typeof fetch>(async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { state: string; comment: string | null };
    const recordId = decodeURIComponent(String(input).split('/').at(-2)!);
    asked.push(recordId);
    return new Response(
      JSON.stringify({
        recordId,
        reviewState: body.state,
        reviewComment: body.comment,
        version: 9,
        reviewedBy: LEAD.id,
        at: '2026-11-28T10:00:00.000Z',
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );
  });
  return { fn, asked };
}

const rowIds = (c: ParentNode) =>
  [...c.querySelectorAll('li[data-record-id]')].map((li) => li.getAttribute('data-record-id'));

describe('the queue', () => {
  it('names each row\'s volunteer and opens on "Chưa duyệt"; other states on demand', async () => {
    const db = await loggedInDb();
    const an = teamRecord({ occurredOn: '2025-10-05' });
    const binh = teamRecord({ occurredOn: '2025-10-04', volunteerId: 'u-binh', reviewState: 'received' });
    const stranger = teamRecord({ occurredOn: '2025-10-03', volunteerId: 'u-moved-away' });
    const approved = teamRecord({ occurredOn: '2025-10-02', reviewState: 'approved' });
    const fix = teamRecord({ occurredOn: '2025-10-01', reviewState: 'has_issues' });
    await db.records.bulkAdd([an, binh, stranger, approved, fix]);
    const { container } = render(RecordsScreen, {
      props: { hamlets: HAMLETS, scope: 'team' },
      context: recordsContext(recordsState(db, { user: LEAD, team: TEAM })),
    });

    const filter = screen.getByLabelText<HTMLSelectElement>('Tình trạng duyệt');
    expect(filter.value).toBe('unreviewed');
    expect(filter.selectedOptions[0]!.textContent).toBe('Chưa duyệt');
    await waitFor(() => expect(rowIds(container)).toEqual([an.id, binh.id, stranger.id]));
    const who = (id: string) =>
      container
        .querySelector(`li[data-record-id="${id}"] [data-testid="record-volunteer"]`)!
        .textContent!.trim();
    expect(who(an.id)).toBe('Trần Văn An');
    expect(who(binh.id)).toBe('Phạm Thị Bình');
    expect(who(stranger.id)).toBe('Không rõ người ghi');

    await fireEvent.change(filter, { target: { value: 'has_issues' } });
    await waitFor(() => expect(rowIds(container)).toEqual([fix.id]));
    await fireEvent.change(filter, { target: { value: '' } });
    await waitFor(() => expect(rowIds(container)).toHaveLength(5));
    // A search finds a record by its volunteer's name, typed without diacritics.
    await fireEvent.input(screen.getByLabelText('Tìm bản ghi'), { target: { value: 'pham thi' } });
    await waitFor(() => expect(rowIds(container)).toEqual([binh.id]));
  });

  it('says the queue is empty when nothing waits for review', async () => {
    const db = await loggedInDb();
    await db.records.add(teamRecord({ reviewState: 'approved' }));
    render(RecordsScreen, {
      props: { hamlets: HAMLETS, scope: 'team' },
      context: recordsContext(recordsState(db, { user: LEAD, team: TEAM })),
    });
    expect(await screen.findByText('Không còn bản ghi nào chờ duyệt.')).toBeTruthy();
  });
});

describe('the editor in the queue', () => {
  async function renderEditor(db: SotayDB, record: LocalRecord, fetchFn: typeof fetch) {
    const onOpen = vi.fn();
    const records = recordsState(db, { user: LEAD, team: TEAM, fetch: fetchFn, isOnline: () => true });
    render(EditScreen, {
      props: { record, hamlets: HAMLETS, onDone: vi.fn(), onOpen, scope: 'team' },
      context: recordsContext(records),
    });
    return { onOpen, records };
  }

  it('names the volunteer and offers the four review choices as radios of one group', async () => {
    const db = await loggedInDb();
    const r = teamRecord({ volunteerId: 'u-binh' });
    await db.records.add(r);
    await renderEditor(db, r, reviewServer().fn);

    expect(screen.getByTestId('edit-volunteer').textContent).toMatch(/Người ghi:\s*Phạm Thị Bình/);
    const group = screen.getByRole('group', { name: 'Kết quả duyệt' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => r.closest('label')!.textContent!.trim()),
    ).toEqual(['Đã tiếp nhận', 'Cần sửa', 'Đã duyệt', 'Không duyệt']);
    // Nothing pre-chosen for a record never reviewed.
    expect(
      within(group)
        .getAllByRole<HTMLInputElement>('radio')
        .some((r) => r.checked),
    ).toBe(false);
  });

  it('after a review, opens the next unreviewed record of the filter in one tap, from the top at the end', async () => {
    const db = await loggedInDb();
    const first = teamRecord({ occurredOn: '2025-10-05', category: 'vneid_l1' });
    const done = teamRecord({ occurredOn: '2025-10-04', category: 'vneid_l1', reviewState: 'approved' });
    const otherCategory = teamRecord({ occurredOn: '2025-10-03', category: 'can_cuoc' });
    const current = teamRecord({ occurredOn: '2025-10-02', category: 'vneid_l1' });
    const next = teamRecord({ occurredOn: '2025-10-01', category: 'vneid_l1', reviewState: 'received' });
    await db.records.bulkAdd([first, done, otherCategory, current, next]);
    const server = reviewServer();
    const { onOpen, records } = await renderEditor(db, current, server.fn);
    records.filters('team').category = 'vneid_l1';

    expect(screen.queryByRole('button', { name: 'Duyệt bản ghi tiếp theo' })).toBeNull();
    await fireEvent.click(screen.getByLabelText('Đã duyệt'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    const nextButton = await screen.findByRole('button', { name: 'Duyệt bản ghi tiếp theo' });
    expect(server.asked).toEqual([current.id]);
    await fireEvent.click(nextButton);
    await waitFor(() => expect(onOpen).toHaveBeenCalledTimes(1));
    expect(onOpen.mock.calls[0]![0]).toMatchObject({ id: next.id });

    // The last one in the list: the next is the first unreviewed one from the top.
    await db.records.update(next.id, { reviewState: 'approved' });
    await fireEvent.click(nextButton);
    await waitFor(() => expect(onOpen).toHaveBeenCalledTimes(2));
    expect(onOpen.mock.calls[1]![0]).toMatchObject({ id: first.id });

    await db.records.update(first.id, { reviewState: 'rejected' });
    await fireEvent.click(nextButton);
    await waitFor(() =>
      expect(screen.getByTestId('review-notice').textContent).toContain('Không còn bản ghi nào chờ duyệt.'),
    );
    expect(onOpen).toHaveBeenCalledTimes(2);
  });
});

describe('the queue in the app', () => {
  it('takes the names from the lead\'s login, and "Duyệt bản ghi tiếp theo" opens the next record in the editor', async () => {
    const db = freshDb();
    const login = loginResponse();
    login.user = LEAD;
    login.team = TEAM;
    await storeLogin(db, login);
    const a = teamRecord({ occurredOn: '2025-10-05', volunteerId: 'u-an', note: 'ghi chú A' });
    const b = teamRecord({ occurredOn: '2025-10-04', volunteerId: 'u-binh', note: 'ghi chú B' });
    await db.records.bulkAdd([a, b]);
    const server = reviewServer();
    vi.stubGlobal('fetch', server.fn);
    const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    const { container } = render(App, { props: { services } });

    const nav = screen.getByRole('navigation', { name: 'Chức năng' });
    await fireEvent.click(within(nav).getByRole('link', { name: 'Duyệt' }));
    await waitFor(() => expect(rowIds(container)).toEqual([a.id, b.id]));
    expect(container.querySelector(`li[data-record-id="${b.id}"]`)!.textContent).toContain('Phạm Thị Bình');
    await fireEvent.click(container.querySelector<HTMLElement>(`li[data-record-id="${a.id}"] button`)!);

    expect((await screen.findByTestId('edit-volunteer')).textContent).toContain('Trần Văn An');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Ghi chú' }).value).toBe('ghi chú A');
    await fireEvent.click(screen.getByLabelText('Cần sửa'));
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi nhận xét' }));
    await waitFor(
      () => expect(screen.getByTestId('review-notice').textContent).toContain('Đã gửi nhận xét'),
      { timeout: 3000 },
    );
    await fireEvent.click(await screen.findByRole('button', { name: 'Duyệt bản ghi tiếp theo' }));

    await waitFor(() => expect(screen.getByTestId('edit-volunteer').textContent).toContain('Phạm Thị Bình'));
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Ghi chú' }).value).toBe('ghi chú B');
    expect(screen.queryByRole('button', { name: 'Duyệt bản ghi tiếp theo' })).toBeNull();
    expect(await db.records.get(a.id)).toMatchObject({ reviewState: 'has_issues' });

    // Back to the queue: it kept its filter, and the record reviewed has left it.
    await fireEvent.click(screen.getByRole('button', { name: 'Quay lại' }));
    await waitFor(() => expect(rowIds(container)).toEqual([b.id]));
    expect(screen.getByLabelText<HTMLSelectElement>('Tình trạng duyệt').value).toBe('unreviewed');
  });
});
